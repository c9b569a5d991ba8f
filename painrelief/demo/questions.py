"""Demo questions: readers' cases in every state of the coach's desk, and the coach's answers.

The first twenty cases are written by hand, and the first eight hold one of each state: public,
answered privately, waiting for the asker's approval, new with and without red flags,
declined, held and spam. Past them, cases are put together from common complaints and the
askers' circumstances, in a fixed mix of states.

Every question is inserted with bulk_create, and its body areas and related articles through
the M2M tables, so the number of INSERT queries does not grow with the number of questions.
bulk_create skips save(): the answers are rendered here. Red flags are found by the same
service as for a reader's question (one small SELECT each). Questions are keyed by title, so
seeding again adds only the missing ones.
"""

import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from painrelief.accounts.models import User
from painrelief.demo import articles as demo_articles
from painrelief.markdown import render_markdown
from painrelief.spam import defence
from questions import services
from questions.models import BodyArea, Question, Snippet

# What a demo case becomes: a status, or for answered ones where it stands with publication.
PUBLIC, PRIVATE, WAITING = "public", "answered privately", "waiting for approval"
NEW, DECLINED, HELD, SPAM = (
    Question.Status.NEW,
    Question.Status.DECLINED,
    Question.Status.HELD,
    Question.Status.SPAM,
)
ANSWERED = {PUBLIC, PRIVATE, WAITING}

BATCH_SIZE = 250
ANONYMOUS = Question.Publication.ANONYMOUS
NAMED = Question.Publication.NAMED
KEPT_PRIVATE = Question.Publication.PRIVATE

# The demo articles that answers link to, by the key used in `[label](article:key)`.
ARTICLES = {
    "knot": demo_articles.LONG_TITLE,
    "ball": demo_articles.TENNIS_BALL_TITLE,
    "desk": "The desk setup that keeps your shoulders out of your ears",
    "headache": "Tension headaches that start in your neck: five things to try",
    "lower-back": "Lower back ache after sitting all day",
    "posture": "Rounded shoulders: stretch the front, strengthen the back",
    "breathing": "Breathing into your belly to relax your upper back",
    "pillow": "A pillow and sleeping position guide for neck pain",
    "shoulder": "Shoulder pain that isn't your shoulder: trigger points in the upper back",
    "morning": "A five-minute morning routine for a stiff back",
}
ARTICLE_LINK = re.compile(r"\[([^\]]+)\]\(article:([\w-]+)\)")

# Used only if the coach has deleted the "Kind decline" snippet.
DECLINE = (
    "Thank you for writing to me. I'm sorry: this is a question I can't answer well from a "
    "distance. Please take it to your doctor, who can examine you and knows your history."
)


@dataclass(frozen=True, kw_only=True)
class Case:
    """One demo question, as the asker wrote it, and what became of it."""

    kind: str
    title: str
    body: str
    areas: tuple[str, ...]
    name: str
    email: str = ""  # the demo reader's questions take their account's
    days_ago: float
    duration: str = ""
    on_behalf: bool = False
    publication: str = KEPT_PRIVATE
    answer: str = ""
    public_title: str = ""
    public_body: str = ""
    notes: str = ""
    reasons: tuple[defence.Reason, ...] = ()  # why the spam defence held or refused it
    spam_score: float = 0.05
    by_reader: bool = False


def _links(count: int) -> defence.Reason:
    return defence.Reason("links", f"{count} links", defence.HOLD)


FIRST_TIME = defence.Reason(
    "first-time", "first submission from this guest", defence.HOLD, defence.POLICY
)

# The first eight hold one question of each kind: `--questions 8` shows the whole desk.
CASES = [
    Case(
        kind=PUBLIC,
        title="For my husband: herniated disc, numb arm and a knot that won't let go",
        on_behalf=True,
        name="Marieke",
        email="marieke.devries@example.net",
        publication=ANONYMOUS,
        duration=Question.Duration.MONTHS,
        areas=("neck", "upper-back", "arm-and-hand"),
        days_ago=40,
        body="""\
Hello Elena,

I'm writing for my husband, Pieter, because he would never write himself. He is 52 and works \
as a surveyor in Utrecht, so he spends half his week driving and the other half bent over a \
laptop in the van.

Since October he has had pain between his left shoulder blade and his spine. It feels like a \
knot the size of a walnut: I can find it with my thumb, and when I press it he says it goes \
straight up into his neck. About six weeks ago his left arm started to feel numb, down the \
outside of the forearm to his thumb and index finger. It is worst in the evening and when he \
looks down at his phone.

He had an MRI in January, which showed a herniated disc between C5 and C6 "touching the nerve \
root" on the left. The neurologist said there is no need for surgery at the moment and sent \
him to physiotherapy.

This is where we are stuck. We have seen two physios and they disagree. The first one said the \
disc is the whole problem, gave him neck traction and told him not to touch the knot because \
it is "just a symptom". The second one said the muscles are the problem, worked hard on the \
knot with her elbow (he was sore for three days) and gave him shoulder exercises with a band. \
He has stopped doing the exercises because he doesn't know whose advice to follow, and now he \
does nothing, which can't be right either.

He sleeps on his left side, and most nights he wakes up with a dead arm and has to shake it.

So my questions are: is the knot coming from the disc, or is it a separate muscle problem? Is \
it safe for him to use a tennis ball on it? And which physio is right?

Thank you for reading all this. I have read almost every article on your site this month.

Marieke""",
        public_title="A herniated disc, a numb arm and a knot beside the shoulder blade: "
        "whose advice to follow?",
        public_body="""\
I'm writing for my husband. He spends much of his working week driving and bent over a laptop.

For several months he has had pain between his left shoulder blade and his spine, like a knot \
he can feel with a thumb; pressing it sends pain up into his neck. For the last few weeks his \
left arm has felt numb down the outside of the forearm to the thumb and index finger, worst in \
the evening and when he looks down at his phone.

An MRI showed a herniated disc in his neck touching a nerve root on the left. The specialist \
said no surgery for now and sent him to physiotherapy.

We have seen two physios who disagree. The first said the disc is the whole problem, gave him \
traction and told him to leave the knot alone. The second worked hard on the knot and gave him \
shoulder exercises with a band. He no longer knows whose advice to follow, so he does nothing.

He sleeps on his left side and often wakes with a dead arm.

Is the knot coming from the disc, or is it a separate muscle problem? Is it safe for him to \
use a tennis ball on it? And which physio is right?""",
        answer="""\
Thank you for writing on his behalf, and for such a clear account. I can't examine him and I \
won't second-guess his neurologist, but I can explain how the pieces usually fit together, and \
what I would do at home while the physiotherapy continues.

## The knot and the disc are probably one story

A disc between the fifth and sixth vertebrae of the neck that touches the nerve root on the \
left typically gives exactly the pattern you describe: numbness down the outside of the \
forearm into the thumb and index finger. What surprises most people is that the same irritated \
nerve root very often sends pain to the inner edge of the shoulder blade. So the "walnut" \
beside his spine may be where he *feels* the neck problem, and the muscle there tightens up as \
well, to protect it.

That means both physios are partly right:

- **The first one** is right that the disc drives the arm symptoms, and that hard pressure on \
the knot will not fix the disc.
- **The second one** is right that the muscles between the shoulder blades need to get \
stronger, and that a guarded, knotted muscle deserves attention too.

What they disagree about is mostly the order. The order that works for most people I see is: \
calm the nerve first, then gentle work on the muscle, then strength.

## What he can do at home

1. **Positions first.** Screen and phone at eye level, so his head isn't bent forward: that \
position narrows the space where the nerve leaves the spine. In the van, a rolled towel behind \
the lower back helps him sit tall.
2. **Sleep.** On his back, or on his *right* side with a pillow that fills the gap between \
shoulder and ear, hugging a second pillow so the left arm rests in front of him and not under \
him.
3. **Gentle pressure, not elbows.** A tennis ball in a sock against the wall is fine on the \
muscle *beside* the shoulder blade, never on the spine, at about four out of ten. If the arm \
tingles more during or after, stop and leave it for a few days. My \
[beginner's guide to the tennis ball](article:ball) shows where to put it.
4. **Little and often.** Slow shoulder blade squeezes and the doorway chest stretch from \
[my guide to the knot between the shoulder blade and spine](article:knot), a few times a day, \
as long as they don't send symptoms further down the arm.
5. **Back to the band exercises**, lighter than before, once the arm has been quiet for a week \
or two.

One rule for both of you: anything that sends the numbness *further down the arm* is wrong for \
now; anything that makes it retreat towards the neck is right.

## When to go back to the doctor

Please see his doctor promptly, without waiting for the next appointment, if his hand or arm \
gets weaker (dropping things, trouble with buttons), if the numbness spreads or appears in the \
other arm, or if he has trouble with balance, walking, his bladder or his bowels. Those signs \
change the plan. [The NHS page on neck pain](https://www.nhs.uk/conditions/neck-pain/) \
explains the warning signs well.

And do tell each physio what the other one said. Most good physiotherapists are glad to agree \
on a plan once they know the whole picture. Write again in a month if you like: I'd like to \
know how he gets on.""",
        notes="Asked to hear back in a month: check how the arm is.",
    ),
    Case(
        kind=PRIVATE,
        title="Stiff neck every evening since I started working from home",
        by_reader=True,
        name="Ruth",
        duration=Question.Duration.YEARS,
        areas=("neck", "shoulder"),
        days_ago=33,
        body="""\
Hi Elena,

Since my team went remote two years ago I've been working at the dining table on a laptop. By \
about four o'clock my neck is stiff on both sides, and in the evening I can't turn my head \
properly to check the blind spot when I drive to choir practice. Mornings are fine.

I've tried a neck pillow and some stretches from YouTube, and they help for an hour. I don't \
really want to buy a standing desk if it isn't going to make a difference.

What would you change first?

Ruth""",
        answer="""\
Thank you, Ruth. The pattern you describe, fine in the morning and stiff by late afternoon, \
tells me this is about how your neck spends the day rather than anything wrong with it. The \
good news: you don't need a standing desk.

## Why the dining table is hard on your neck

A laptop on a table puts the screen about twenty centimetres too low. To read it, your head \
drifts forward, and every centimetre forward adds to the load on the muscles at the back of \
the neck. After seven hours they are tired and stiff, which is why it builds through the day.

## What I'd change, in this order

1. **Raise the screen.** A laptop stand or a stack of books, so the top of the screen is at \
eye level, with a separate keyboard and mouse. This one change usually does most of the work.
2. **Sit back.** Chair close to the table, all the way back in it, with a cushion behind the \
lower back if the dining chair is hard.
3. **Move every forty minutes.** Stand up, roll the shoulders back five times, and turn your \
head slowly left and right. Set a timer: nobody remembers otherwise.
4. **Warm it in the evening.** A hot shower or a wheat bag on the back of the neck before \
choir, then a few slow turns.

The [desk setup article](article:desk) shows the screen and chair heights, and comes with a \
one-page checklist to print.

## When to see your doctor

If the stiffness comes with headaches that keep getting stronger, dizziness, numbness or \
tingling in your arms, or if it starts waking you at night, please see your GP rather than \
working on it yourself. [The NHS page on neck pain](https://www.nhs.uk/conditions/neck-pain/) \
lists the other signs.

Give it two weeks with the raised screen, and let me know.""",
    ),
    Case(
        kind=WAITING,
        title="Headaches that start at the back of my head every afternoon",
        by_reader=True,
        name="Ruth L.",
        publication=NAMED,
        duration=Question.Duration.MONTHS,
        areas=("head-and-jaw", "neck"),
        days_ago=12,
        body="""\
Hello again,

A second question, if I may. Three or four afternoons a week I get a headache that starts at \
the base of my skull on the right, creeps over the top of my head and settles behind my right \
eye. It feels like a tight band. Paracetamol takes the edge off, but I don't want to take it \
every day.

My optician, Mr Haddad, says my eyes are fine. I've noticed I clench my teeth when I'm \
concentrating, and that my shoulders are up by my ears by the end of a meeting.

Could it be coming from my neck? Is there anything I can do when I feel it starting?

Ruth""",
        public_title="Afternoon headaches that start at the base of the skull",
        public_body="""\
Three or four afternoons a week I get a headache that starts at the base of my skull on one \
side, creeps over the top of my head and settles behind my eye. It feels like a tight band. \
Painkillers take the edge off, but I don't want to take them every day.

My eyes have been checked and are fine. I've noticed I clench my teeth when I'm concentrating, \
and that my shoulders are up by my ears by the end of a meeting.

Could it be coming from my neck? Is there anything I can do when I feel it starting?""",
        answer="""\
What you describe, a band-like headache that starts at the base of the skull in the afternoon, \
along with clenching and raised shoulders, is the classic picture of a tension-type headache \
with a big contribution from the neck and jaw muscles.

## Where it comes from

The small muscles at the base of the skull and the top of the trapezius develop trigger points \
when they spend the day holding the head forward and the shoulders up. Those trigger points \
are known to send pain over the head and behind the eye, on the same side. Clenching adds the \
jaw muscles, which send pain to the temples.

## When you feel it starting

- **Two tennis balls in a sock**: lie on your back with the balls under the base of your skull \
for two minutes, and let the weight of your head do the work.
- **Unclench**: tongue resting on the roof of the mouth, teeth apart, lips closed. Check it \
every time you open a new email.
- **Breathe out longer than in**: four seconds in, six out, ten times. It lowers the shoulders \
better than any instruction to relax.

## To make it less likely

1. Raise your screen so you look straight ahead, not down.
2. Take a two-minute break every forty minutes and look into the distance.
3. Drink, and eat lunch away from the desk: many afternoon headaches also come from a long \
morning without either.

I go through five more things to try in [my article on tension headaches](article:headache).

## When it isn't a tension headache

See your GP if the headaches change in character, come more often, wake you from sleep, or \
come with vomiting, changes in your vision or speech, or weakness. Go to A&E at once for a \
sudden, very severe headache, or a headache with a fever and a stiff neck. \
[The NHS page on tension-type headaches](https://www.nhs.uk/conditions/tension-type-headaches/) \
is a good reference.

Keep a simple diary for two weeks (the time, what you were doing, how high your shoulders \
were) and you will probably see the pattern yourself.""",
    ),
    Case(
        kind=NEW,
        title="Lifted a washing machine, now my back and both legs are wrong",
        name="Dev",
        email="dev.k@example.net",
        duration=Question.Duration.DAYS,
        areas=("lower-back", "hip-and-leg"),
        days_ago=0.3,
        body="""\
Hi,

On Saturday I helped my brother carry a washing machine up two flights of stairs, and I felt \
something go in my lower back halfway up. By Sunday I could hardly get out of bed.

It's now Tuesday. The pain goes down the back of both legs, and since this morning it feels \
numb between my legs when I wipe, like after an injection at the dentist. I can't pee properly \
either. I thought it would settle with rest and ibuprofen.

Is there a stretch that will release this? I have a big week at work and really can't take \
time off.

Thanks,
Dev""",
    ),
    Case(
        kind=NEW,
        title="Outside of my hip aches after long runs",
        name="Chloé",
        email="chloe.runs@example.net",
        publication=ANONYMOUS,
        duration=Question.Duration.WEEKS,
        areas=("hip-and-leg",),
        days_ago=1.5,
        body="""\
Hello Elena,

I started running two years ago and I'm training for my first marathon in the spring. Since I \
increased my long run to 24 km, the outside of my right hip aches from about 15 km onwards, \
and for a day or two afterwards. It's sore to lie on that side at night. It doesn't hurt when \
I walk or sit.

I foam roll my IT band every day, which is agony and doesn't seem to change anything. My \
trainers have about 700 km on them.

Should I stop running until it settles? I'd hate to lose the fitness I've built.

Many thanks,
Chloé""",
    ),
    Case(
        kind=DECLINED,
        title="What does my mother's MRI report mean, and should she have the operation?",
        on_behalf=True,
        name="Hélène",
        email="helene.b@example.net",
        duration=Question.Duration.YEARS,
        areas=("lower-back",),
        days_ago=20,
        body="""\
Dear Elena,

My mother is 74 and has had lower back pain for eleven years. She asked me to write to you. \
This is the conclusion of her latest MRI report:

"L4-L5: broad-based disc bulge with moderate bilateral foraminal narrowing. L5-S1: grade 1 \
anterolisthesis with facet arthropathy. Modic type 1 endplate changes."

The surgeon has offered her a fusion at L5-S1 and she has to give her answer by the end of the \
month. Her pain specialist thinks she should wait. Could you tell us what each line means, and \
what you would do in her place?

With thanks,
Hélène""",
    ),
    Case(
        kind=HELD,
        title="Is this massage gun any good for knots?",
        name="jay",
        email="jay.m.1990@example.net",
        publication=ANONYMOUS,
        duration=Question.Duration.MONTHS,
        areas=("shoulder", "upper-back"),
        days_ago=0.6,
        reasons=(_links(3), FIRST_TIME),
        spam_score=0.41,
        body="""\
hi, I have knots in both shoulders from my desk job. is a massage gun like this one worth it \
https://shop.example.com/percussion-massager-pro-x or is this cheaper one just as good \
https://deals.example.org/massage-gun-2 ? I saw a video saying you shouldn't use them on the \
neck https://video.example.org/watch?v=neck-warning is that true?
thanks""",
    ),
    Case(
        kind=SPAM,
        title="Best PAIN RELIEF pills 80% OFF, no prescription!!!",
        name="Best Pharmacy 24/7",
        email="bestpharmacy247@example.net",
        publication=NAMED,
        areas=(),
        days_ago=0.2,
        reasons=(
            defence.Reason(
                "classifier", "reads like spam (0.99: prescription, order, off)", defence.SPAM
            ),
            _links(2),
        ),
        spam_score=0.99,
        body="""\
Buy strong painkillers and muscle relaxants online WITHOUT PRESCRIPTION!!! Fast and discreet \
worldwide shipping, pay with crypto. Limited offer: 80% OFF for all your readers.

Order now >>> https://cheap-meds.test/order?ref=painrelief
Muscle relaxants >>> https://cheap-meds.test/relaxants

Best price guaranteed, 100% satisfaction!!!""",
    ),
    Case(
        kind=PUBLIC,
        title="Upper back burning since the baby: feeding, carrying, no sleep",
        name="Joana",
        email="joana.s@example.net",
        publication=NAMED,
        duration=Question.Duration.MONTHS,
        areas=("upper-back", "shoulder"),
        days_ago=55,
        body="""\
Hi Elena,

My daughter Inês is four months old and I love her to bits, but my upper back is a wreck. \
There's a burning ache between my shoulder blades and across the top of my shoulders, worse \
on the right, which is the side I carry her on. It's at its worst after the night feeds.

I breastfeed on the sofa, hunched over her, usually looking down at her or at my phone. She \
naps in a sling because it's the only way she sleeps, and I lug the car seat around on my \
right arm. My mum lives back in Porto, so I'm on my own most days.

Before she was born I did yoga twice a week. Now I don't have twenty minutes to myself, let \
alone an hour.

Is there anything I can do in two-minute chunks? And is the sling making it worse?

Thanks so much,
Joana""",
        public_title="A new mother's upper back: burning between the shoulder blades after "
        "night feeds",
        public_body="""\
My baby is a few months old, and my upper back is a wreck. There's a burning ache between my \
shoulder blades and across the top of my shoulders, worse on the side I carry her on. It's at \
its worst after the night feeds.

I breastfeed on the sofa, hunched over her, usually looking down at her or at my phone. She \
naps in a sling because it's the only way she sleeps, and I carry the car seat on one arm.

Before she was born I did yoga twice a week. Now I don't have twenty minutes to myself.

Is there anything I can do in two-minute chunks? And is the sling making it worse?""",
        answer="""\
Congratulations on your daughter, and well done for asking now rather than waiting until the \
ache is part of the furniture. Almost every new parent I've worked with has had some version \
of this.

## Why it burns

Three things add up. Feeding hunched forward many times a day and night keeps the muscles \
between the shoulder blades stretched and working. Carrying on one side loads one shoulder \
far more than the other. And short, broken nights make every ache feel louder: tiredness turns \
up the volume of pain. None of that means anything is damaged.

## Two-minute chunks that work

- **Bring her up to you, not you down to her.** Before each feed, a pillow on your lap and one \
behind your back, so she comes up to breast height and you can sit back.
- **After each feed**, five slow shoulder rolls backwards and the doorway stretch: forearms on \
the door frame, step forward, thirty seconds.
- **While the kettle boils**, lean against a tennis ball in a sock on the wall, beside the \
spine, for a minute on each side.
- **Breathe out slowly** during the night feed itself: four seconds in, six out. It lets the \
shoulders drop without you doing anything else.

## The sling and the car seat

The sling isn't the enemy; a loose or low sling is. Wear her high and snug, close enough to \
kiss the top of her head, with the straps spread wide across your back. The car seat is \
harder: carry it in front with both hands, or switch arms each time, or leave it in the car \
and use the sling.

When you have a little more time, [my article on belly breathing](article:breathing) and \
[the guide to the knot between the shoulder blades](article:knot) go further.

## When to see someone

See your GP or health visitor if the pain comes with a fever, or a hot, red, painful patch on a \
breast (that can be mastitis, which needs treating), with numbness or weakness in an arm, \
breathlessness or chest pain, or if it wakes you when the baby doesn't. \
[The NHS page on back pain](https://www.nhs.uk/conditions/back-pain/) is a good general \
reference.

Be kind to yourself: the first months are the hardest, and the ache usually eases as the \
feeds space out.""",
    ),
    Case(
        kind=PUBLIC,
        title="Jaw clicks, aching temples and a stiff neck in the morning",
        name="Katarzyna",
        email="kasia.w@example.net",
        publication=ANONYMOUS,
        duration=Question.Duration.YEAR,
        areas=("head-and-jaw", "neck"),
        days_ago=26,
        body="""\
Hello,

For about a year I've been waking up with an aching jaw, sore temples and a stiff neck. My \
dentist says I grind my teeth at night and made me a mouth guard, which protects my teeth, but \
the aches are the same. My jaw clicks on the left when I open wide, and chewing a baguette is \
tiring.

I'm a translator working for a firm in Kraków, so I spend long days at the computer, and I've \
noticed I hold my jaw tight when I'm on a deadline. It's been a stressful year: we moved house \
and my father has been ill.

Is the neck connected to the jaw? Is there anything I can do besides the mouth guard?

Best,
Katarzyna""",
        public_title="Jaw clicks, aching temples and a stiff neck every morning",
        public_body="""\
For about a year I've been waking up with an aching jaw, sore temples and a stiff neck. My \
dentist says I grind my teeth at night and made me a mouth guard, which protects my teeth, but \
the aches are the same. My jaw clicks on one side when I open wide, and chewing is tiring.

I spend long days at the computer, and I've noticed I hold my jaw tight when I'm on a \
deadline. It's been a stressful year.

Is the neck connected to the jaw? Is there anything I can do besides the mouth guard?""",
        answer="""\
Yes, the neck and the jaw are very much connected, and that is good news: it gives you more \
places to make a difference than the mouth guard alone.

## How they work together

When the head drifts forward at a screen, the lower jaw is pulled back and the chewing \
muscles work harder just to keep the mouth closed. When you clench, the muscles at the base of \
the skull tighten with them. Clenching by day, on a deadline, often matters as much as \
grinding at night, and the temples ache because that's where one of the main chewing muscles \
sits.

## What to try for the next three weeks

1. **The resting position**: lips closed, teeth apart, tongue resting on the roof of your \
mouth just behind the front teeth. Put a small sticker on your monitor as a reminder to check \
it.
2. **Warmth and massage**: a warm flannel on both sides of the jaw for ten minutes in the \
evening, then small slow circles with two fingers on the chewing muscle, in front of the ear.
3. **Chin glides**: ten times an hour, draw the chin gently straight back and let it go.
4. **Softer food for a week**, cut small; no gum, and a hand under the chin when you yawn.
5. **A slower breath before bed**: four seconds in, six out, ten times. It quietens the \
clenching more than people expect.

[My article on tension headaches](article:headache) covers the neck side, and \
[the belly breathing article](article:breathing) explains the breathing.

## When to see a doctor or dentist

Go back to your dentist or GP if your jaw locks open or closed, if there is swelling or a \
fever, or if the clicking becomes painful. If you are over 50, a new headache at the temples \
with pain in the jaw when you chew needs a doctor the same day. \
[The NHS page on jaw problems](https://www.nhs.uk/conditions/temporomandibular-disorder-tmd/) \
is clear and practical.""",
    ),
    Case(
        kind=PUBLIC,
        title="Back locked after moving house: how long until it's normal?",
        name="Gareth",
        email="gareth.p@example.net",
        publication=NAMED,
        duration=Question.Duration.DAYS,
        areas=("lower-back",),
        days_ago=19,
        body="""\
Hi Elena,

Last weekend we moved out of a third-floor flat in Cardiff, and on the Sunday morning I bent \
down to pick up a box of books and my lower back locked. I couldn't stand up straight for an \
hour. It's been five days now: the first two I mostly lay on the sofa, and since then it's a \
little easier every day. Nothing in my legs, it's just my back, a bit to the left of the spine, \
and it's stiff when I get out of bed or out of the car.

My dad says to rest until it's completely gone. My colleague says to get moving. I'm 38 and \
usually fit, and I play five-a-side football on Thursdays.

Who's right? And when can I play football again?

Gareth""",
        public_title="My back locked after lifting a box: rest or keep moving?",
        public_body="""\
I bent down to pick up a box of books while moving house, and my lower back locked. I couldn't \
stand up straight for an hour. It's been five days: the first two I mostly lay on the sofa, and \
since then it's a little easier every day. Nothing in my legs, just my back, a bit to one side \
of the spine, and it's stiff when I get out of bed or out of the car.

One person tells me to rest until it's completely gone, another to get moving. I'm usually \
fit and play five-a-side football once a week.

Who's right? And when can I play football again?""",
        answer="""\
Your colleague is right, and your back is already telling you so: a little easier every day \
is exactly the path we want.

## What happened

A back that "locks" while bending to lift, with pain on one side and nothing down the legs, is \
almost always a strain of the muscles and small joints of the lower back. The muscles around \
it go into a protective spasm, which is why you couldn't stand up straight. It is painful and \
alarming, and it is also one of the things that recovers best. Most people are much better \
within two to six weeks.

Bed rest was the standard advice years ago. We now know it slows recovery: the back stiffens \
and the muscles that protect it weaken.

## What helps now

- **Walk**: ten minutes, several times a day, a little further each day.
- **Heat** for fifteen minutes before you move, and again in the evening.
- **Knee rocks**: lie on your back with the knees bent and let them fall gently side to side \
for a minute.
- **Getting up**: roll onto your side, drop your legs over the edge of the bed, push up with \
your arms.
- **Painkillers**, if you need them to keep moving, as your pharmacist advises.

[The five-minute morning routine](article:morning) is gentle enough for this week, and \
[my article on lower back ache](article:lower-back) covers the stretches for later.

## Back to football

When you can jog, twist and jump without your back complaining, start with a gentle kickabout \
before a full match. For most people that's somewhere between two and six weeks.

## When to see a doctor

See a doctor urgently if you get numbness around your bottom or genitals, trouble peeing or \
controlling your bowels, weakness in your legs, or a fever; and see your GP if pain spreads \
down a leg below the knee, or if it isn't clearly better in six weeks. \
[The NHS back pain page](https://www.nhs.uk/conditions/back-pain/) has the full list.""",
    ),
    Case(
        kind=PRIVATE,
        title="Knot under my shoulder blade comes back after every massage",
        name="Nikhil",
        email="nikhil.r@example.net",
        duration=Question.Duration.YEAR,
        areas=("upper-back", "shoulder"),
        days_ago=45,
        body="""\
Hello,

I'm a project manager and I've had a knot under my right shoulder blade for about a year. I \
have a massage every month, which is heavenly, and for three or four days it's gone. Then it \
comes back, always in the same place. I use the mouse with my right hand most of the day and \
carry my laptop bag on my right shoulder on the train.

Am I just someone who gets knots? Or is there a way to stop it coming back?

Thanks,
Nikhil""",
        answer="""\
You're not "someone who gets knots", you're someone whose day builds the same knot again. A \
knot that melts with a massage and returns to the same spot within days is telling you the \
cause is still there, every day.

## The two suspects

- **The mouse**: if it sits to the side of the keyboard, your right arm reaches forward and \
out all day, and the muscles between that shoulder blade and the spine hold it there.
- **The bag**: a laptop bag on the same shoulder every day hitches that shoulder up and \
forward for the whole commute.

## What to change

1. Bring the mouse right next to the keyboard, close to your body, elbow by your side; or try \
a compact keyboard without the number pad, which gains you ten centimetres.
2. A backpack with both straps, or switch shoulders every day.
3. Keep the knot soft between massages: a tennis ball in a sock against the wall, sixty \
seconds per spot, most evenings. [The tennis ball guide](article:ball) shows how.
4. Strengthen the muscles behind: band rows, three sets of twelve, twice a week, from \
[my guide to the knot](article:knot).

Give it four weeks before the next massage, and see how long it lasts then.

## When to get it checked

See your GP if the ache comes with chest pain or breathlessness, numbness in the arm, a fever, \
or if it's there at night whatever position you are in. \
[The NHS back pain page](https://www.nhs.uk/conditions/back-pain/) covers the upper back too.""",
    ),
    Case(
        kind=NEW,
        title="Knot between my shoulder blades, and a pain in my chest on the stairs",
        name="Alan",
        email="alan.h@example.net",
        duration=Question.Duration.WEEKS,
        areas=("upper-back", "chest", "arm-and-hand"),
        days_ago=0.8,
        body="""\
Hello,

I'm 61 and I've had a knot between my shoulder blades for years; I'm used to it. But for the \
last two weeks I've had a pain in my chest when I walk up the hill to the station, and it goes \
into my left arm and sometimes my jaw. It goes away a few minutes after I stop. I'm also more \
out of breath than usual.

My wife thinks it's all the same muscle problem and that I should book a massage. Could it be \
the knot?

Alan""",
    ),
    Case(
        kind=NEW,
        title="My father's stiff back in the mornings: is gardening making it worse?",
        on_behalf=True,
        name="Lucy",
        email="lucy.t@example.net",
        publication=ANONYMOUS,
        duration=Question.Duration.MONTHS,
        areas=("lower-back", "hip-and-leg"),
        days_ago=3,
        body="""\
Dear Elena,

I'm writing for my dad, who is 78 and doesn't use the internet. He has an allotment and is \
there most days. For the last couple of months his back has been very stiff in the mornings: \
it takes him half an hour and a hot shower to get going, and then he's more or less fine until \
he's spent an afternoon weeding. His GP checked him in the spring, said it's "wear and tear", \
and told him to keep active.

He won't stop gardening, and honestly I don't want him to: it's what keeps him going. Are \
there ways of gardening that would be easier on his back, and something he could do in the \
mornings?

Thank you,
Lucy""",
    ),
    Case(
        kind=PUBLIC,
        title="Rounded shoulders and a sore upper back after years at the sewing machine",
        name="Fatma",
        email="fatma.atelier@example.net",
        publication=ANONYMOUS,
        duration=Question.Duration.YEARS,
        areas=("upper-back", "shoulder", "chest"),
        days_ago=70,
        body="""\
Hello Elena,

I've been a seamstress for 25 years and I run a small alterations shop on Station Road. I sit \
at the machine six or seven hours a day, leaning in to see the needle. My shoulders have \
rounded forward so much that my daughter took a photo of me from the side and I didn't \
recognise myself. My upper back aches every evening, and my shoulders feel pulled forward even \
when I lie down.

I'm 56. Is it too late to change my posture? I can't stop working.

Fatma""",
        public_title="Rounded shoulders after years at a sewing machine: is it too late?",
        public_body="""\
I've sewed for a living for many years, six or seven hours a day at the machine, leaning in \
to see the needle. My shoulders have rounded forward so much that I didn't recognise myself \
in a photo taken from the side. My upper back aches every evening, and my shoulders feel \
pulled forward even when I lie down.

Is it too late to change my posture? I can't stop working.""",
        answer="""\
It is not too late. Muscles and connective tissue keep adapting to what we ask of them at \
every age; it takes a little longer after decades, that's all. Most of my clients in their \
fifties and sixties see a real change in posture within three months.

## What has happened

Leaning in to the needle for years has shortened the muscles at the front of your chest and \
shoulders, and left the muscles between your shoulder blades long and tired. The shortened \
ones now pull your shoulders forward even at rest, which is why you feel it lying down.

## Stretch the front

- **Doorway stretch**: forearms on the door frame at shoulder height, step through until you \
feel the stretch across the chest. Thirty seconds, three times a day.
- **Towel roll**: lie on a rolled towel placed along your spine, arms open, palms up, for two \
minutes in the evening. Let gravity do the work.

## Strengthen the back

1. Band rows: two sets of twelve, three times a week, squeezing the shoulder blades together.
2. Wall slides: back against a wall, arms up and down slowly, ten times.

## At the machine

Raise the machine or lower your chair so you can see the needle with your head over your \
shoulders, and add a task light so you don't need to lean in. Every half hour, stand up and \
roll the shoulders back five times.

[My article on rounded shoulders](article:posture) explains all of this with pictures, and \
[the belly breathing article](article:breathing) helps the upper back let go.

## When to see your doctor

If the ache comes with chest pain or breathlessness, numbness in an arm, a fever, or if it \
wakes you at night whatever position you're in, see your GP. \
[The NHS back pain page](https://www.nhs.uk/conditions/back-pain/) covers the upper back too.""",
    ),
    Case(
        kind=WAITING,
        title="Neck and shoulders ache on my bike commute",
        name="Ben",
        email="ben.cycles@example.net",
        publication=ANONYMOUS,
        duration=Question.Duration.WEEKS,
        areas=("neck", "shoulder", "arm-and-hand"),
        days_ago=9,
        body="""\
Hi,

I commute 18 km each way on a road bike I bought in the spring. After about 40 minutes the \
base of my neck aches and my shoulders burn, and my hands go a bit numb on the bars. It wears \
off within ten minutes of getting off. On my old hybrid bike this never happened.

Is it the bike or is it me?

Cheers,
Ben""",
        public_title="Neck and shoulders ache on a road bike commute",
        public_body="""\
I commute on a road bike I bought recently. After about 40 minutes the base of my neck aches \
and my shoulders burn, and my hands go a bit numb on the bars. It wears off within ten minutes \
of getting off. On my old hybrid bike this never happened.

Is it the bike or is it me?""",
        answer="""\
Probably mostly the bike, and the way it makes you hold your head. The fact that it never \
happened on the hybrid is a big clue.

## Why a road bike does this

A road bike puts you lower and further forward. To see the road, you tilt your head back, and \
the muscles at the base of the neck hold it there for forty minutes. Your shoulders take \
the weight of your upper body, and the numb hands come from leaning on the nerves in the \
palms.

## What to change

1. **The fit first.** A shorter stem or raised handlebars can make a big difference; a bike \
shop will do a basic fit in half an hour.
2. **Move on the bike.** Change hand positions every few minutes, and at each red light drop \
your shoulders and tuck your chin for a few seconds.
3. **Padded gloves**, and keep a slight bend in the elbows so the arms absorb the road.
4. **At home**: chin glides, ten slow ones morning and evening, to strengthen the deep neck \
muscles that hold your head up.

The [pillow and sleeping position guide](article:pillow) helps if your neck is stiff the next \
morning too.

## When to see a doctor

If the numbness stays after you get off the bike, spreads, or your grip feels weaker, see \
your GP. [The NHS page on neck pain](https://www.nhs.uk/conditions/neck-pain/) lists the \
other signs.""",
    ),
    Case(
        kind=DECLINED,
        title="Can I take more painkillers than the packet says?",
        name="Rob",
        email="rob.1975@example.net",
        duration=Question.Duration.WEEKS,
        areas=("lower-back",),
        days_ago=14,
        body="""\
My lower back has been really bad for three weeks and the ibuprofen isn't touching it. Can I \
take more than the packet says, or take it together with my wife's co-codamol? I don't want \
to bother the doctor.""",
    ),
    Case(
        kind=HELD,
        title="Hot water bottle or ice pack?",
        name="Sue",
        email="sue.gardens@example.net",
        duration=Question.Duration.DAYS,
        areas=("shoulder",),
        days_ago=2,
        reasons=(
            defence.Reason(
                "too-fast", "sent 2.1 s after the form was shown", defence.HOLD, defence.POLICY
            ),
            FIRST_TIME,
        ),
        spam_score=0.12,
        body="Quick one: sore shoulder after pruning the hedge. Hot water bottle or ice pack?",
    ),
    Case(
        kind=SPAM,
        title="Guest post for your health blog ($50 per do-follow link)",
        name="Content Team",
        email="outreach.team.seo@example.net",
        areas=(),
        days_ago=4,
        reasons=(
            defence.Reason(
                "classifier", "reads like spam (0.97: guest post, do-follow, link)", defence.SPAM
            ),
            defence.Reason(
                "duplicate", "the same text was sent in the last 24 hours", defence.HOLD
            ),
        ),
        spam_score=0.97,
        body="""\
Hello Webmaster,

I am interested to publish a guest post on your esteemed website about health and wellness. \
We pay $50 per article with one do-follow link to our client. 100% unique content, Google \
friendly. Kindly revert on WhatsApp or email for the price list.

Regards,
Content Team
https://guest-posts.test/price-list""",
    ),
    Case(
        kind=PRIVATE,
        title="For my son: back pain from his school bag and gaming",
        on_behalf=True,
        name="Claire",
        email="claire.m@example.net",
        duration=Question.Duration.MONTHS,
        areas=("upper-back", "lower-back"),
        days_ago=28,
        body="""\
Hello,

My son Theo is 15 and complains of back pain most evenings: between his shoulder blades and \
low down. His school bag weighs about 9 kg (I weighed it) and he carries it on one shoulder \
because two straps are "not cool". In the evenings he plays games for two or three hours, \
slumped on a beanbag. He's grown 12 cm this year.

He won't listen to me. Is there anything you'd suggest that a teenager might actually do?

Claire""",
        answer="""\
Teenage backs are a lovely problem to work with: they respond fast. And a growth spurt, a \
heavy bag on one shoulder and hours on a beanbag explain his aches well.

## Why now

When bones grow 12 cm in a year, muscles take a while to catch up, and for a few months they \
are tighter and tire more easily. Add 9 kg hanging off one shoulder and a slumped evening, and \
the back has no quiet time at all.

## Things a teenager might actually do

- **The bag**: not a lecture about two straps, but the deal of a lighter bag. Go through it \
together once a week and leave in the locker whatever isn't needed.
- **Gaming**: a proper chair at the desk for long sessions, or at least a cushion behind his \
lower back on the beanbag, and a stretch at each level or match break. Gamers respond well to \
"pros warm up and take breaks" (they do).
- **Sport**: anything he enjoys. Swimming, climbing and basketball are all good for a growing \
back.
- **One stretch**: the doorway stretch for thirty seconds after gaming. One is more likely to \
happen than five.

If you want to show him something, [the desk setup article](article:desk) works for a gaming \
desk too, and [the morning routine](article:morning) is short enough for a teenager.

## When to see the GP

Back pain in young people deserves a check if it wakes him at night, comes with a fever, \
weight loss or numbness, if one shoulder or hip looks higher than the other, or if it isn't \
better after a few weeks of these changes. \
[The NHS back pain page](https://www.nhs.uk/conditions/back-pain/) has the full list.""",
    ),
]

# --- Variations past the hand-written cases -------------------------------------------------


@dataclass(frozen=True)
class Complaint:
    """A common reason to write: how askers put it, and how the coach answers it."""

    areas: tuple[str, ...]
    titles: tuple[str, str, str, str]
    stories: tuple[str, str]
    tried: tuple[str, str]
    asks: tuple[str, str]
    why: str
    steps: tuple[str, str, str, str]
    reading: str  # with `[label](article:key)` links
    doctor: str  # "See your doctor ..."
    resource: tuple[str, str]  # an NHS page: its subject and its address
    red_flag: str  # a symptom that needs a doctor, not a coach (matches one of the red flags)
    durations: tuple[int, ...]  # how long it may have lasted: indices into DURATIONS


SEE_NECK = ("neck pain", "https://www.nhs.uk/conditions/neck-pain/")
SEE_BACK = ("back pain", "https://www.nhs.uk/conditions/back-pain/")
LOWER_BACK_DOCTOR = (
    "if the pain spreads down a leg below the knee, with numbness or tingling in your legs or "
    "around your bottom, trouble controlling your bladder or bowels, or a fever, or if it isn't "
    "clearly better after six weeks"
)

COMPLAINTS = [
    Complaint(
        areas=("neck", "shoulder"),
        titles=(
            "Stiff neck that won't go away",
            "Neck stiff every evening",
            "Can't turn my head properly",
            "Neck locks up after long days",
        ),
        stories=(
            "My neck is stiff on both sides by the end of the day, and turning my head to "
            "check the traffic is hard.",
            "I wake up fine, but by the evening the back of my neck is stiff and aches into "
            "the top of my shoulders.",
        ),
        tried=(
            "I've tried a new pillow and some stretches from the internet; they help for an "
            "hour or so.",
            "Heat helps a bit, and a massage last month helped for two days.",
        ),
        asks=(
            "What would you change first?",
            "Is this something I can fix myself, and where should I start?",
        ),
        why="A neck that is fine in the morning and stiff by the evening is telling you about "
        "how it spends the day. When the head drifts forward, the muscles at the back of the neck "
        "hold it up like a crane holding a load, and after hours of that they are tired and sore.",
        steps=(
            "Raise your screen, book or phone so you look straight ahead rather than down.",
            "Every forty minutes, glide your chin straight back ten times, slowly.",
            "Turn your head gently left and right five times, only as far as it goes without pain.",
            "In the evening, warm the neck for ten minutes with a shower or a wheat bag, then "
            "repeat the turns.",
        ),
        reading="There is more about pillows and sleeping positions in "
        "[my guide for neck pain](article:pillow), and [the desk setup article](article:desk) "
        "shows the screen and chair heights.",
        doctor="if the stiffness comes with a fever or a headache, with numbness, tingling or "
        "weakness in an arm, after a fall or a knock, or if it wakes you at night",
        resource=SEE_NECK,
        red_flag=(
            "Since the weekend I've also had a fever, and bending my head forward is very painful."
        ),
        durations=(0, 1, 2, 3, 4),
    ),
    Complaint(
        areas=("head-and-jaw", "neck"),
        titles=(
            "Headaches that start in my neck",
            "Tension headache most afternoons",
            "Band of pressure around my head",
            "Headaches from the base of my skull",
        ),
        stories=(
            "Most afternoons I get a headache that starts at the base of my skull and "
            "moves over my head like a tight band.",
            "Three or four times a week I get a dull, pressing headache at the back of my "
            "head and behind my eyes.",
        ),
        tried=(
            "Painkillers take the edge off, but I don't want to take them every day.",
            "My eyes have been tested and are fine, and drinking more water hasn't changed much.",
        ),
        asks=(
            "Could it be coming from my neck, and what can I do when I feel it starting?",
            "Is there anything that would stop them before they start?",
        ),
        why="A pressing, band-like headache that builds through the day is usually a "
        "tension-type headache, and the muscles at the base of the skull and on top of the "
        "shoulders play a big part. Trigger points there send pain over the head and behind the "
        "eyes, and a forward head, raised shoulders and a clenched jaw keep feeding them.",
        steps=(
            "When you feel it starting, lie on your back with two tennis balls in a sock "
            "under the base of your skull for two minutes.",
            "Keep your teeth apart and your tongue resting on the roof of your mouth; check it "
            "each time you start a new task.",
            "Breathe in for four seconds and out for six, ten times, letting the shoulders "
            "drop on each breath out.",
            "Stand up and look into the distance for a minute every forty minutes.",
        ),
        reading="I go through five more things to try in "
        "[my article on tension headaches](article:headache), and "
        "[the desk setup article](article:desk) helps with the screen.",
        doctor="if the headaches change, come more often or wake you, or come with vomiting, "
        "changes in your vision or speech, or weakness; go to A&E at once for a sudden, very "
        "severe headache, or a headache with a fever and a stiff neck",
        resource=(
            "tension-type headaches",
            "https://www.nhs.uk/conditions/tension-type-headaches/",
        ),
        red_flag=(
            "Last night I had the worst headache of my life; it came on suddenly, like a "
            "thunderclap."
        ),
        durations=(1, 2, 3, 4),
    ),
    Complaint(
        areas=("upper-back", "shoulder"),
        titles=(
            "Knot between my shoulder blade and spine",
            "A knot under my shoulder blade that keeps coming back",
            "Burning spot beside my spine",
            "Knot in my upper back I can't reach",
        ),
        stories=(
            "There's a hard, aching spot between my right shoulder blade and my spine that "
            "burns by the end of the day.",
            "I have a knot beside my spine, level with my left shoulder blade, and pressing "
            "it sends an ache up into my neck.",
        ),
        tried=(
            "A massage helps for a day or two and then it's back.",
            "I keep trying to reach it with my fingers or rub it against the door frame.",
        ),
        asks=(
            "How do I get rid of it for good?",
            "Why does it keep coming back, and what can I do about it myself?",
        ),
        why="The spot between the shoulder blade and the spine is where the rhomboids and the "
        "middle of the trapezius work all day, stretched and holding at the same time when the "
        "shoulders round forward. A muscle worked like that runs short of blood and forms "
        "trigger points. Massage releases them, but the knot comes back as long as the day that "
        "made it stays the same.",
        steps=(
            "Lean against a tennis ball in a sock on the wall, beside the spine and never on "
            "it, for sixty seconds per spot.",
            "Squeeze the shoulder blades back and down, hold for three seconds and let go "
            "completely, ten times.",
            "Stretch your chest in a doorway for thirty seconds, twice, so the muscles behind "
            "stop fighting it.",
            "Twice a week, do three sets of twelve rows with a resistance band.",
        ),
        reading="The whole ten-minute routine is in "
        "[my guide to the knot between the shoulder blade and spine](article:knot), and "
        "[the tennis ball guide](article:ball) shows where to place the ball.",
        doctor="if the pain comes with chest pain, breathlessness or sweating (call an "
        "ambulance), with numbness or weakness in an arm, with a fever, or if it is there at "
        "night whatever position you are in",
        resource=SEE_BACK,
        red_flag="Sometimes I get a pain in my chest that goes into my left arm.",
        durations=(1, 2, 3, 4),
    ),
    Complaint(
        areas=("lower-back",),
        titles=(
            "Lower back aches after sitting all day",
            "Lower back pain by the end of the day",
            "Dull ache low in my back when I sit",
            "Back stiff when I stand up",
        ),
        stories=(
            "By mid-afternoon I have a dull ache across my lower back, and standing up "
            "after a long sit takes a moment.",
            "My lower back is stiff whenever I get up after sitting, and it aches on the "
            "drive home.",
        ),
        tried=(
            "I've bought a lumbar cushion, which helps a little.",
            "Walking makes it better, but I can't be on my feet all day.",
        ),
        asks=(
            "What can I do during the day to stop it building up?",
            "Which exercises would help most?",
        ),
        why="A lower back that aches after sitting and eases when you walk is usually a back "
        "that has been still for too long. Hours of sitting tuck the pelvis under and shorten "
        "the hip flexors, and the muscles that should share the work, the glutes above all, "
        "switch off.",
        steps=(
            "Get up and walk for two minutes every half hour; set a timer.",
            "Stretch the hip flexors in a half-kneeling lunge, thirty seconds each side, twice "
            "a day.",
            "Lying on your back, rock the knees gently side to side for a minute.",
            "Sit all the way back in the chair, with a small rolled towel behind the lower back.",
        ),
        reading="[My article on lower back ache after sitting](article:lower-back) explains the "
        "hip flexor stretch, and [the five-minute morning routine](article:morning) is a good "
        "start to the day.",
        doctor=LOWER_BACK_DOCTOR,
        resource=SEE_BACK,
        red_flag=(
            "In the last few days both legs have felt weak and numb, and I've had trouble "
            "controlling my bladder."
        ),
        durations=(1, 2, 3, 4),
    ),
    Complaint(
        areas=("lower-back",),
        titles=(
            "Hurt my back lifting",
            "Lower back went when I picked something up",
            "Back pain since lifting a heavy box",
            "Pulled something in my lower back",
        ),
        stories=(
            "I bent down to lift something heavy and felt my lower back go; the next "
            "morning I could hardly stand up straight.",
            "I lifted a heavy bag awkwardly, with a twist, and since then one side of my "
            "lower back has been sore and stiff, worst when I get out of bed.",
        ),
        tried=(
            "Resting on the sofa hasn't helped much.",
            "Ibuprofen helps, and it's a little easier every day.",
        ),
        asks=(
            "Should I rest until it's gone, or keep moving?",
            "How long will it take, and what can I do to help it along?",
        ),
        why="A sudden, sore and stiff lower back after lifting, with nothing down the legs, is "
        "very common and almost always a strain of the muscles and small joints of the back. It "
        "feels alarming, but most people are much better within a few weeks, and staying gently "
        "active gets you there faster than resting in bed.",
        steps=(
            "Walk a little every hour, even if it's only round the house.",
            "Lie on your back with the knees bent and rock them gently side to side for a minute.",
            "Use a heat pack for fifteen minutes before you move.",
            "Roll onto your side to get out of bed, then push up with your arms.",
        ),
        reading="[The five-minute morning routine](article:morning) is gentle enough for the "
        "first weeks, and [my article on lower back ache](article:lower-back) covers what comes "
        "next.",
        doctor=LOWER_BACK_DOCTOR,
        resource=SEE_BACK,
        red_flag="Since yesterday it's numb around my bottom and I can't pee properly.",
        durations=(0, 1),
    ),
    Complaint(
        areas=("hip-and-leg",),
        titles=(
            "Outside of my hip aches",
            "Hip pain when I lie on my side",
            "Ache on the outside of my hip after walking",
            "Sore hip that wakes me when I roll over",
        ),
        stories=(
            "The outside of my right hip aches after a long walk or a run, and it's sore to "
            "lie on that side at night.",
            "I have an ache on the outside of my left hip, worst going up stairs and after "
            "sitting with my legs crossed.",
        ),
        tried=(
            "I foam roll the side of my thigh every day, which is painful and doesn't seem "
            "to change anything.",
            "Stretching it feels good at the time, but the ache is back the next day.",
        ),
        asks=("Should I stop what I'm doing until it settles?", "What exercises would help?"),
        why="An ache on the outside of the hip that is sore to lie on usually comes from the "
        "tendons of the gluteal muscles, where they attach to the bony point of the hip. They "
        "dislike being squeezed: lying on that side, crossing the legs, standing with your "
        "weight on one hip. Rolling and stretching often press on them even more.",
        steps=(
            "Stop foam rolling and stretching the side of the hip for now.",
            "Sleep on the other side with a pillow between the knees, or on your back.",
            "Stand with your weight on both feet, and don't cross your legs when you sit.",
            "Every day, lie on your back, squeeze your glutes and lift your hips, ten slow times.",
        ),
        reading="The hip flexor stretch in [my article on lower back ache](article:lower-back) "
        "helps too, and [the morning routine](article:morning) includes the hip lift.",
        doctor="if the hip is hot, red or swollen, if you have a fever, if you can't put weight "
        "on the leg, after a fall, or if the pain goes on despite a few weeks of this",
        resource=("hip pain", "https://www.nhs.uk/conditions/hip-pain/"),
        red_flag=(
            "It all started after I fell off my bike, and now I can hardly put weight on that leg."
        ),
        durations=(0, 1, 2, 3, 4),
    ),
    Complaint(
        areas=("head-and-jaw", "neck"),
        titles=(
            "Aching jaw and stiff neck in the mornings",
            "Jaw clicks and my temples ache",
            "Clenching my jaw, sore neck",
            "Jaw pain that goes into my neck",
        ),
        stories=(
            "I wake up with an aching jaw and sore temples, and my neck is stiff until lunchtime.",
            "My jaw clicks when I open wide, and I've caught myself clenching my teeth when "
            "I concentrate; by the evening my neck and temples ache.",
        ),
        tried=(
            "My dentist made me a mouth guard for the night, which protects my teeth but "
            "hasn't changed the aches.",
            "Chewing gum seems to make it worse, so I've stopped.",
        ),
        asks=(
            "Is the neck connected to the jaw? What can I do myself?",
            "Is there anything besides a mouth guard that could help?",
        ),
        why="The jaw and the neck work as a team: when the head drifts forward, the jaw's "
        "resting position changes and its muscles work harder, and when the jaw clenches, the "
        "muscles at the base of the skull tighten too. Clenching by day, with concentration or "
        "stress, matters as much as grinding at night.",
        steps=(
            "Find the resting position: lips closed, teeth apart, tongue resting on the roof "
            "of your mouth. Check it every hour.",
            "Put a warm flannel on the jaw for ten minutes in the evening, then massage the "
            "chewing muscle in small circles.",
            "Eat softer food for a week, cut into small pieces.",
            "Before bed, breathe in for four seconds and out for six, ten times.",
        ),
        reading="[My article on tension headaches](article:headache) covers the neck side, and "
        "[the belly breathing article](article:breathing) helps with the clenching.",
        doctor="if your jaw locks open or closed, if there is swelling or a fever, or, if you "
        "are over 50, the same day if a new headache at the temples comes with pain in the jaw "
        "when you chew",
        resource=(
            "jaw joint problems",
            "https://www.nhs.uk/conditions/temporomandibular-disorder-tmd/",
        ),
        red_flag="I also get a pain in my chest and my left arm when I climb the stairs.",
        durations=(2, 3, 4),
    ),
    Complaint(
        areas=("upper-back", "chest"),
        titles=(
            "Rounded shoulders and a sore upper back",
            "Upper back aches, shoulders forward",
            "Hunched posture and upper back pain",
            "Upper back tired and sore by lunchtime",
        ),
        stories=(
            "My shoulders roll forward more and more, and my upper back is tired and sore "
            "by lunchtime.",
            "Someone took a photo of me from the side and I was shocked how hunched I look; "
            "my upper back aches most days.",
        ),
        tried=(
            "I try to sit up straight, but I forget within minutes.",
            "I bought a posture brace, but it digs in and I've stopped wearing it.",
        ),
        asks=("Can I still change my posture, and how?", "What would you do first?"),
        why="Rounded shoulders come from a balance that has tipped: the muscles at the front of "
        "the chest get short from hours of arms-forward work, and the muscles between the "
        "shoulder blades get long and tired. Sitting up straight by willpower doesn't last; "
        "changing the balance does.",
        steps=(
            "Stretch the chest in a doorway, forearms on the frame at shoulder height, thirty "
            "seconds three times a day.",
            "Twice a week, do two sets of twelve rows with a band, squeezing the shoulder "
            "blades together.",
            "Lie on a rolled towel along your spine with the arms open for two minutes in the "
            "evening.",
            "Slide your arms up and down a wall, ten times, slowly.",
        ),
        reading="[My article on rounded shoulders](article:posture) explains the stretch and "
        "the rows, and [the belly breathing article](article:breathing) helps the upper back "
        "let go.",
        doctor="if the pain comes with chest pain or breathlessness, with numbness in an arm, "
        "with a fever, or if it is there at night whatever position you are in",
        resource=SEE_BACK,
        red_flag="I've also had a fever and night sweats for a week, and my back is sore to touch.",
        durations=(2, 3, 4),
    ),
    Complaint(
        areas=("shoulder", "arm-and-hand"),
        titles=(
            "Shoulder aches at night",
            "Sore shoulder when I sleep on it",
            "Ache on top of my shoulder and down to the elbow",
            "Shoulder hurts reaching up to a shelf",
        ),
        stories=(
            "The front and side of my right shoulder ache, especially at night when I lie "
            "on that side, and reaching up to a high shelf hurts.",
            "My shoulder aches on the outside, and the ache sometimes runs down to the elbow.",
        ),
        tried=(
            "I've been sleeping on the other side, which helps a bit.",
            "I've been resting it, but it isn't getting better.",
        ),
        asks=("Is this the shoulder joint or something else?", "What exercises would be safe?"),
        why="Shoulder pain often isn't the shoulder itself: trigger points in the muscles "
        "around the shoulder blade send pain to the front and side of the shoulder and down the "
        "arm. And when the shoulder blade sits forward, the space under the top of the shoulder "
        "narrows, which is why reaching up and lying on it hurt.",
        steps=(
            "Press the tender points around the shoulder blade with a ball against the wall, "
            "sixty seconds each.",
            "Do slow arm circles, small then larger, ten each way, without pain.",
            "When you sleep on your side, hug a pillow so the top arm rests in front of you.",
            "Bring your mouse and keyboard closer, so your elbow stays by your side.",
        ),
        reading="[My article on shoulder pain that isn't your shoulder](article:shoulder) shows "
        "where the trigger points are, and [the pillow guide](article:pillow) helps with the "
        "nights.",
        doctor="if you can't lift the arm at all, if the shoulder is hot or swollen, after a "
        "fall, if the pain came with chest pain or breathlessness, or if it isn't improving "
        "after a few weeks",
        resource=("shoulder pain", "https://www.nhs.uk/conditions/shoulder-pain/"),
        red_flag="The tingling in my fingers is spreading, and my grip is getting weaker.",
        durations=(0, 1, 2, 3, 4),
    ),
    Complaint(
        areas=("all-over", "neck", "upper-back"),
        titles=(
            "Tense all over and always aching",
            "Everything aches when I'm stressed",
            "My whole back and neck feel tight",
            "Constant tension in my neck and back",
        ),
        stories=(
            "When work gets busy everything tightens up, my neck, my shoulders, my back, "
            "even my jaw, and I don't sleep well.",
            "I feel tight all over most of the time, as if I'm bracing for something, and "
            "it's worse in stressful weeks.",
        ),
        tried=(
            "A massage helps for an evening.",
            "I've tried yoga videos, but I can't switch off.",
        ),
        asks=("Where do I even start?", "Is there something simple I can do every day?"),
        why="When we are stressed, the body braces: the shoulders rise, the breathing moves up "
        "into the chest and the jaw clenches, often for hours without our noticing. Muscles held "
        "like that ache everywhere. The answer is less about any one muscle than about showing "
        "the body, many times a day, that it can let go.",
        steps=(
            "Three times a day, breathe into your belly: in for four seconds, out for six, "
            "ten times.",
            "Each time you stand up, drop the shoulders and unclench the jaw.",
            "Walk for ten minutes outside at lunchtime, without your phone.",
            "In the evening, a hot shower on the neck and upper back before bed.",
        ),
        reading="[My article on belly breathing](article:breathing) explains the breathing step "
        "by step, and [the guide to the knot between the shoulder blades](article:knot) covers "
        "the most stubborn spot.",
        doctor="if the aches come with a fever, weight loss you can't explain or swollen "
        "joints, or if you feel low or anxious most days: your GP can help with that too",
        resource=(
            "breathing exercises for stress",
            "https://www.nhs.uk/mental-health/self-help/guides-tools-and-activities/"
            "breathing-exercises-for-stress/",
        ),
        red_flag="I fell down the stairs last week, and since then my neck hurts much more.",
        durations=(2, 3, 4),
    ),
]


@dataclass(frozen=True)
class Circumstance:
    """Who is asking: in the title, in the case (with identifying details), in the public copy,
    and what the coach adds about it."""

    tag: str
    private: str  # "{place}" is filled in
    public: str
    advice: str
    ages: tuple[int, int]


CIRCUMSTANCES = [
    Circumstance(
        "night-shift nurse",
        "I'm a nurse on a surgical ward at the hospital in {place}, on nights since January.",
        "I'm a nurse and work night shifts.",
        "Night shifts make everything harder: tired muscles guard more, and sleeping in the day "
        "often means an unusual position. Keep the routine short enough to do before you sleep, "
        "whatever the time.",
        ages=(24, 60),
    ),
    Circumstance(
        "laptop at the kitchen table",
        "I work from home in {place}, on a laptop at the kitchen table, eight or nine hours a day.",
        "I work from home on a laptop at the kitchen table.",
        "A laptop on a table puts the screen well below eye level, so your head spends the day "
        "tipped forward. A stand or a pile of books and a separate keyboard cost little and "
        "change a lot.",
        ages=(25, 64),
    ),
    Circumstance(
        "delivery driver",
        "I drive a delivery van for a parcel company in {place}, around 120 deliveries a day, "
        "in and out of the cab.",
        "I drive a delivery van, in and out of the cab all day.",
        "Driving keeps you still, and climbing out of the cab loads you on one side. Turn your "
        "whole body before you climb out, and take ten seconds at each stop to stand tall.",
        ages=(22, 62),
    ),
    Circumstance(
        "back at work after parental leave",
        "I went back to my office job in {place} in January after a year of parental leave, and "
        "I still carry my son to nursery every morning.",
        "I've recently gone back to work after parental leave, and I still carry my toddler a lot.",
        "Carrying a toddler on one hip and then sitting all day is a hard combination. Swap "
        "sides on purpose, and carry in front with both arms when you can.",
        ages=(27, 42),
    ),
    Circumstance(
        "exam revision",
        "I'm a law student in {place}, revising for my finals, mostly on my bed with the laptop "
        "on my knees.",
        "I'm a student revising for exams, often on my bed with the laptop on my knees.",
        "Revising on a bed is the worst of both worlds: the screen is low and nothing supports "
        "your back. A desk and chair for the long sessions, and the bed only for reading, will "
        "help more than any stretch.",
        ages=(19, 26),
    ),
    Circumstance(
        "amateur violinist",
        "I play the violin in an amateur orchestra in {place}: rehearsals twice a week and "
        "practice most evenings after work.",
        "I play the violin in an amateur orchestra and practise most evenings.",
        "A violin asks the neck and left shoulder to hold an uneven position for a long time. "
        "Short breaks every twenty minutes in practice, and a chin rest and shoulder rest that "
        "fit you, matter as much as any exercise.",
        ages=(18, 75),
    ),
    Circumstance(
        "retired gardener",
        "I'm retired and spend most days on my allotment in {place}.",
        "I'm retired and garden most days.",
        "Gardening is good for you, but weeding means long spells bent forward. Kneel on a pad "
        "or sit on a low stool, and change jobs every twenty minutes.",
        ages=(62, 84),
    ),
    Circumstance(
        "hairdresser",
        "I've had my own salon in {place} for twelve years, and I'm on my feet with my arms up "
        "most of the day.",
        "I'm a hairdresser, standing with my arms raised most of the day.",
        "Working with raised arms all day tires the muscles on top of the shoulders and between "
        "the shoulder blades. Lower the client's chair so your elbows can stay closer to your "
        "sides, and let your arms hang completely between clients.",
        ages=(30, 60),
    ),
    Circumstance(
        "long coding days",
        "I'm a software developer at a start-up in {place}; most days I'm at two monitors from "
        "nine until late.",
        "I'm a software developer and spend long days at two monitors.",
        "Two monitors often means a head turned to one side for hours. Put the one you use most "
        "straight in front of you, and the other beside it.",
        ages=(23, 50),
    ),
    Circumstance(
        "primary school teacher",
        "I teach a class of six-year-olds at a primary school in {place}, which means a lot of "
        "bending down to small tables and sitting on tiny chairs.",
        "I teach young children, so I bend down to small tables a lot.",
        "Bending to low tables dozens of times a day adds up. Crouch or kneel next to the child "
        "instead of bending from the waist, and keep one adult-sized chair in the room.",
        ages=(24, 62),
    ),
    Circumstance(
        "warehouse work",
        "I work in a warehouse in {place}, picking orders: ten-hour shifts with a lot of lifting "
        "from low shelves.",
        "I work in a warehouse, with long shifts and a lot of lifting from low shelves.",
        "Lifting from low shelves all shift is tiring even with good technique. Take the load "
        "close, bend the knees and hips together, and turn with your feet rather than twisting.",
        ages=(19, 60),
    ),
    Circumstance(
        "barista",
        "I'm a barista in a busy café in {place}: tamping, lifting milk jugs and leaning over "
        "the counter from six in the morning.",
        "I'm a barista, tamping coffee and leaning over a counter all morning.",
        "Tamping and leaning over the counter repeat the same movement hundreds of times a day. "
        "Stand close to the machine, tamp with a straight wrist and the elbow under it, and roll "
        "the shoulders back between orders.",
        ages=(19, 35),
    ),
    Circumstance(
        "dental hygienist",
        "I'm a dental hygienist at a practice in {place}, leaning over patients for most of the "
        "day.",
        "I work as a dental hygienist, leaning over patients most of the day.",
        "Leaning over patients keeps your head and shoulders forward for long stretches. Raise "
        "the patient's chair so you can sit tall, and roll your shoulders back between patients.",
        ages=(24, 60),
    ),
]

DURATIONS = [
    (Question.Duration.DAYS, "It started a few days ago."),
    (Question.Duration.WEEKS, "It's been like this for about three weeks."),
    (Question.Duration.MONTHS, "This has been going on for a few months now."),
    (Question.Duration.YEAR, "It's been about a year."),
    (Question.Duration.YEARS, "To be honest, it's been years."),
]

# What the coach cannot answer from a distance.
DECLINED_ASKS = [
    "My doctor has prescribed something for it, but I've read about the side effects. Should I "
    "stop taking it?",
    "Could you tell me which painkillers to take with my other medication, and how many a day?",
    "I've been offered a scan. Could you tell me from my description whether I really need it?",
    "Could you tell me what is wrong with it from the description? I'd rather not see a doctor.",
]
HELD_LINKS = (
    "This is the video I've been following: https://video.example.org/watch?v=stretch-routine, "
    "and this is the pillow I bought: https://shop.example.com/orthopaedic-pillow"
)

# (title, body) of spam; {n} makes each title its own, {product} and {site} vary.
SPAM_TEMPLATES = [
    (
        "{product} – the miracle cure for ALL pain, 80% off (offer {n})",
        "Doctors HATE this! {product} cures back pain, neck pain and knee pain in 3 days, no "
        "exercise needed. Limited stock!!! Order here: https://{site}/?aff={n}",
    ),
    (
        "Your website is losing customers – free SEO audit #{n}",
        "Dear Sir/Madam, I checked your website and found 27 SEO errors. Our team will bring you "
        "to page one of Google in 30 days GUARANTEED. Reply YES for your free audit: https://{site}",
    ),
    (
        "Make $5,000 a week from home (ref {n})",
        "Tired of back pain from your job? QUIT IT! Earn $5,000 a week trading crypto with our AI "
        "bot, no experience needed. Sign up now ➜ https://{site}/signup?u={n}",
    ),
    (
        "Cheap muscle relaxants, no prescription – order {n}",
        "Buy muscle relaxants and strong painkillers online without prescription. Discreet "
        "worldwide delivery, pay with crypto. https://{site}/order?ref={n} "
        "https://{site}/painkillers",
    ),
]
SPAM_PRODUCTS = ["MagnoRelief bracelet", "CBD Ultra Gummies", "PosturePro X", "NeuroPatch 9000"]
SPAM_SITES = ["cheap-meds.test", "seo-rank-fast.test", "crypto-bot.test", "miracle-cure.test"]

FIRST_NAMES = [
    "Anna",
    "Marek",
    "Sofia",
    "James",
    "Leila",
    "Tomasz",
    "Chiara",
    "Daniel",
    "Amara",
    "Kenji",
    "Ingrid",
    "Rahul",
    "Maria",
    "Owen",
    "Fatou",
    "Lukas",
    "Nadia",
    "Pablo",
    "Helen",
    "Yusuf",
    "Eva",
    "Callum",
    "Mina",
    "João",
    "Greta",
    "Sipho",
    "Elif",
    "Conor",
    "Hana",
    "Mateus",
]
INITIALS = "ABCDEFGHJKLMNOPRSTVW"
PLACES = [
    "Leeds",
    "Bristol",
    "Cork",
    "Ghent",
    "Utrecht",
    "Aarhus",
    "Porto",
    "Brighton",
    "Glasgow",
    "Graz",
    "Lyon",
    "Bergen",
]
GREETINGS = ["Hello Elena,", "Hi Elena,", "Dear Elena,", "Hello,"]
SIGN_OFFS = ["Thank you,", "Many thanks,", "Best wishes,", "Thanks in advance,"]
OPENINGS = [
    "Thank you for such a clear description: it makes it much easier to help.",
    "Thank you for writing, and for all the detail.",
    "What you describe is very common, and the good news is that it usually responds well to "
    "small, regular changes.",
]
CLOSINGS = [
    "Give it two weeks before you judge it, and let me know how it goes.",
    "Be patient with it: a habit that took years to build takes a few weeks to change.",
    "Small and often beats long and rare: two minutes a few times a day is plenty.",
]

# The mix of states past the hand-written cases: 8 public, 4 answered privately, 2 waiting,
# 4 new (one with a red flag), 1 declined, 2 held, 2 spam in every 23 questions. 23 shares no
# factor with the 10 complaints and 13 circumstances, so every state meets every complaint.
NEW_WITH_RED_FLAG = "new, with a red flag"
MIX = [
    PUBLIC,
    NEW,
    PRIVATE,
    PUBLIC,
    SPAM,
    WAITING,
    PUBLIC,
    HELD,
    NEW,
    PUBLIC,
    PRIVATE,
    DECLINED,
    PUBLIC,
    NEW_WITH_RED_FLAG,
    PRIVATE,
    PUBLIC,
    SPAM,
    PUBLIC,
    WAITING,
    HELD,
    PUBLIC,
    PRIVATE,
    NEW,
]
# Titles repeat after this many variations; later ones get a number.
PAIRS = len(COMPLAINTS) * len(CIRCUMSTANCES)
DISTINCT_TITLES = PAIRS * 4
# How many days back the variations are sent; declined ones stay within the retention period.
MAX_AGE = {PUBLIC: 240, PRIVATE: 240, WAITING: 30, DECLINED: 150}


def variation(n: int) -> Case:
    """The `n`th case past the hand-written ones: the same on every run and every machine."""
    rng = random.Random(n)  # noqa: S311 (demo text, not secrets)
    kind = MIX[n % len(MIX)]
    if kind == SPAM:
        return _spam(n, rng)
    complaint = COMPLAINTS[n % len(COMPLAINTS)]
    circumstance = CIRCUMSTANCES[n % len(CIRCUMSTANCES)]
    title = f"{complaint.titles[n // PAIRS % 4]} ({circumstance.tag})"
    if n >= DISTINCT_TITLES:
        title += f" ({n // DISTINCT_TITLES + 1})"
    first = rng.choice(FIRST_NAMES)
    initial = rng.choice(INITIALS)
    duration, since = DURATIONS[rng.choice(complaint.durations)]
    story = f"{rng.choice(complaint.stories)} {since}"
    ask = rng.choice(complaint.asks)
    if kind == NEW_WITH_RED_FLAG:
        story += " " + complaint.red_flag
    elif kind == DECLINED:
        ask = DECLINED_ASKS[n // len(MIX) % len(DECLINED_ASKS)]
    elif kind == HELD:
        ask += " " + HELD_LINKS
    tried = rng.choice(complaint.tried)
    private = circumstance.private.format(place=rng.choice(PLACES))
    age = rng.randint(*circumstance.ages)
    body = (
        f"{rng.choice(GREETINGS)}\n\n{private} I'm {age}. {story}\n\n{tried}\n\n{ask}\n\n"
        f"{rng.choice(SIGN_OFFS)}\n{first}"
    )
    publication = KEPT_PRIVATE if kind == PRIVATE else rng.choice([ANONYMOUS, ANONYMOUS, NAMED])
    recent = kind in (NEW, NEW_WITH_RED_FLAG, HELD)
    return Case(
        kind=NEW if kind == NEW_WITH_RED_FLAG else kind,
        title=title,
        body=body,
        areas=complaint.areas,
        name=f"{first} {initial}." if publication == NAMED else first,
        email=f"{slugify(first)}.{initial.lower()}{rng.randint(1, 99)}@example.net",
        days_ago=rng.uniform(0.2, 14) if recent else rng.uniform(4, MAX_AGE[kind]),
        duration=duration,
        publication=publication,
        answer=_answer(complaint, circumstance, rng) if kind in ANSWERED else "",
        public_title=title if kind in (PUBLIC, WAITING) else "",
        public_body=f"{circumstance.public} {story}\n\n{tried}\n\n{ask}"
        if kind in (PUBLIC, WAITING)
        else "",
        reasons=(_links(2), FIRST_TIME) if kind == HELD else (),
        spam_score=round(rng.uniform(0.3, 0.6) if kind == HELD else rng.uniform(0.01, 0.2), 2),
    )


def _answer(complaint: Complaint, circumstance: Circumstance, rng: random.Random) -> str:
    # The answer is published as it is: no name or detail of the asker in it.
    start = rng.randrange(4)
    steps = complaint.steps[start:] + complaint.steps[:start]
    subject, address = complaint.resource
    return "\n".join(
        [
            rng.choice(OPENINGS),
            "",
            "## What I think is going on",
            "",
            complaint.why,
            "",
            circumstance.advice,
            "",
            "## What to try for the next two weeks",
            "",
            *(f"{number}. {step}" for number, step in enumerate(steps, 1)),
            "",
            complaint.reading,
            "",
            "## When to see a doctor",
            "",
            f"See your doctor {complaint.doctor}. [The NHS page on {subject}]({address}) lists "
            "the signs to watch for.",
            "",
            rng.choice(CLOSINGS),
        ]
    )


def _spam(n: int, rng: random.Random) -> Case:
    title, body = SPAM_TEMPLATES[n // len(MIX) % len(SPAM_TEMPLATES)]
    values = {"n": 1000 + n, "product": rng.choice(SPAM_PRODUCTS), "site": rng.choice(SPAM_SITES)}
    return Case(
        kind=SPAM,
        title=title.format(**values),
        body=body.format(**values),
        areas=(),
        name=rng.choice(["Admin", "Best Offers", "SEO Expert", "Mark Smith"]),
        email=f"offers{1000 + n}@example.net",
        days_ago=rng.uniform(0.1, 14),
        publication=NAMED,
        reasons=(
            defence.Reason(
                "classifier", "reads like spam (0.99: offer, order, guaranteed)", defence.SPAM
            ),
        ),
        spam_score=0.99,
    )


USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/138.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/138.0.0.0 Mobile Safari/537.36",
]


# --- Seeding --------------------------------------------------------------------------------


def cases(count: int) -> list[Case]:
    """The first `count` demo cases: the hand-written ones, then variations."""
    return CASES[:count] + [variation(n) for n in range(max(count - len(CASES), 0))]


def seed_questions(count: int, *, reader: User) -> tuple[int, Counter]:
    """Make sure the first `count` demo questions exist; return how many were created and
    how many of them are in each kind (and how many new ones have red flags)."""
    if count <= 0:
        return 0, Counter()
    existing = {
        question.title: question
        for question in Question.objects.order_by().only(
            "title", "status", "publication", "consent", "answer_published_at", "has_red_flags"
        )
    }
    planned = cases(count)
    missing = [case for case in planned if case.title not in existing]
    if missing:
        existing |= {question.title: question for question in _create(missing, reader=reader)}
    tally = Counter()
    for case in planned:
        question = existing[case.title]
        kind = _kind(question)
        tally[kind] += 1
        tally["red flags"] += kind == NEW and question.has_red_flags
    return len(missing), tally


def _kind(question: Question) -> str:
    if question.is_public:
        return PUBLIC
    if question.status == Question.Status.ANSWERED:
        return WAITING if question.consent == Question.Consent.PENDING else PRIVATE
    return question.status


def _create(missing: list[Case], *, reader: User) -> list[Question]:
    now = timezone.now()
    areas = {area.slug: area.pk for area in BodyArea.objects.all()}
    demo = {
        article.slug: article
        for article in Article.objects.published()
        .filter(slug__in=[slugify(title) for title in ARTICLES.values()])
        .only("pk", "slug")
    }
    articles = {key: demo.get(slugify(title)) for key, title in ARTICLES.items()}
    decline_message = _decline_message()
    rows, related = [], []
    for case in missing:
        answer, linked = _with_links(case.answer, articles)
        rows.append(
            _question(case, answer, reader=reader, decline_message=decline_message, now=now)
        )
        related.append(linked[:2])
    Question.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    BodyAreas = Question.body_areas.through
    BodyAreas.objects.bulk_create(
        [
            BodyAreas(question_id=question.pk, bodyarea_id=areas[slug])
            for case, question in zip(missing, rows, strict=True)
            for slug in case.areas
            if slug in areas
        ],
        batch_size=500,
    )
    Related = Question.related_articles.through
    Related.objects.bulk_create(
        [
            Related(question_id=question.pk, article_id=article.pk)
            for question, linked in zip(rows, related, strict=True)
            for article in linked
        ],
        batch_size=500,
    )
    return rows


def _with_links(answer: str, articles: dict[str, Article | None]) -> tuple[str, list[Article]]:
    """The answer with its `article:` links pointing at the published demo articles (plain text
    where there is none), and those articles."""
    linked: list[Article] = []

    def link(match: re.Match) -> str:
        label, article = match.group(1), articles.get(match.group(2))
        if article is None:
            return label
        if article not in linked:
            linked.append(article)
        return f"[{label}]({article.get_absolute_url()})"

    return ARTICLE_LINK.sub(link, answer), linked


def _question(case: Case, answer: str, *, reader, decline_message, now) -> Question:
    """The question as its row; what save() would compute (the rendered answer) included."""
    rng = random.Random(case.title)  # noqa: S311 (demo dates, not secrets)
    rendered = render_markdown(answer) if answer else None
    created = now - timedelta(days=case.days_ago)
    owner = reader if case.by_reader else None
    question = Question(
        title=case.title,
        body=case.body,
        duration=case.duration,
        on_behalf=case.on_behalf,
        name=case.name,
        email=owner.email if owner else case.email,
        user=owner,
        publication=case.publication,
        created_at=created,
        status=Question.Status.ANSWERED if case.kind in ANSWERED else case.kind,
        spam_score=case.spam_score,
        spam_verdict={HELD: defence.HOLD, SPAM: defence.SPAM}.get(case.kind, defence.APPROVE),
        reasons=[reason.as_dict() for reason in case.reasons],
        reason_codes=" ".join(sorted({reason.code for reason in case.reasons})),
        ip_address=f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}",
        user_agent=rng.choice(USER_AGENTS),
        answer=answer,
        answer_html=rendered.html if rendered else "",
        answer_text=rendered.text if rendered else "",
        internal_notes=case.notes,
        public_title=case.public_title,
        public_body=case.public_body,
    )
    question.red_flags = services.red_flags_in(f"{question.title}\n{question.body}")
    question.has_red_flags = bool(question.red_flags)
    if case.kind in ANSWERED:
        question.answer_published_at = _after(created, rng, now=now)
    if case.kind == PUBLIC:
        question.consent = Question.Consent.APPROVED
        question.consent_changed_at = question.published_at = _after(
            question.answer_published_at, rng, now=now
        )
    elif case.kind == WAITING:
        question.consent = Question.Consent.PENDING
        question.consent_changed_at = _after(question.answer_published_at, rng, now=now)
    if question.consent != Question.Consent.NOT_ASKED:
        question.consent_text = services.public_text_of(question)
    if case.kind == DECLINED:
        question.decline_message = decline_message
        question.declined_at = _after(created, rng, now=now)
    return question


def _after(moment: datetime, rng: random.Random, *, now: datetime) -> datetime:
    """A time from a few hours to three days after `moment`, and not in the future."""
    delay = timedelta(hours=rng.uniform(3, 72))
    return moment + min(delay, (now - moment) * rng.uniform(0.2, 0.6))


def _decline_message() -> str:
    snippets = Snippet.objects.filter(use=Snippet.Use.DECLINE).order_by("pk")
    stock = snippets.filter(title="Kind decline").first() or snippets.first()
    return stock.body if stock else DECLINE
