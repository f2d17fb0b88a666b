#!/usr/bin/env python3
"""Writes Hamlet's own sample corpus (corpus/ham, corpus/spam, corpus/index).

Every text here was written for Hamlet. The messages are built deterministically from short hand-written
bodies, combined with the structures real mail uses: plain text, HTML only, multipart/alternative, an
attachment, base64 and quoted-printable bodies, RFC 2047 subjects and non-UTF-8 charsets. Run it again
to regenerate the same files:  python3 scripts/make-sample-corpus.py
"""
import base64, os, quopri, random, textwrap
from email.header import Header

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus')
rng = random.Random(20261127)

HAM = [
    ("Minutes from Tuesday's planning meeting",
     "Hi all,\n\nHere are the notes from Tuesday. We agreed to move the release of the billing module to the 14th, "
     "since the migration scripts still need a review. Priya will own the rollback plan and Tom will update the "
     "runbook. Please add anything I missed before Friday.\n\nThanks,\nMarta"),
    ("Re: lunch on Thursday?",
     "Thursday works for me. The Lebanese place near the station closes its kitchen at two, so let's meet at "
     "half twelve. I'll bring the printed proofs of the brochure so we can look at them over coffee.\n\nJonas"),
    ("Patch: fix off-by-one in the log rotation",
     "The rotation job kept one file too many because the comparison used <= instead of <. The attached diff "
     "changes the loop and adds a test that creates five files and checks that only four remain. I ran the "
     "whole suite on my laptop and on the build box; both pass.\n\n-- \nKeith"),
    ("Your library books are due next week",
     "Dear reader,\n\nThe following items on your card are due on 3 December: 'A History of the Baltic Trade' "
     "and 'Practical Beekeeping'. You can renew them online twice unless another reader has reserved them. "
     "The branch will be closed on the 1st for staff training.\n\nCity Library"),
    ("Photos from the hike",
     "Finally sorted the photos from Sunday. The one of the ridge at sunrise came out better than I hoped, and "
     "there is a funny one of Ben trying to cross the stream without getting his boots wet. I put the full set "
     "in the shared album; tell me if the link does not work for you."),
    ("Question about the thermostat schedule",
     "Hello,\n\nSince the new thermostat was installed the heating starts at five in the morning even though the "
     "schedule says seven. Could the installer have left it in learning mode? The manual mentions a reset under "
     "Settings > Schedule but I did not want to lose the other programmes.\n\nRegards,\nEleanor"),
    ("Draft agenda for the school board",
     "Attached is the draft agenda. Items three and four may swap depending on whether the transport survey "
     "results arrive in time. Parents asked for ten minutes of open questions at the end, which I have added. "
     "Comments by Wednesday evening, please."),
    ("Re: [dev-list] Building on ARM with the new toolchain",
     "> Has anyone managed a clean build on the Raspberry Pi since the toolchain update?\n\nYes, but you need to "
     "pass the hard-float flag explicitly; the default target changed. Also the linker now warns about "
     "executable stacks in two of the assembly files, which is harmless but noisy. I opened an issue for it."),
    ("Invoice 2026-118 for October translation work",
     "Good morning,\n\nPlease find my invoice for the October batch (42 pages, German to English, technical "
     "manuals) attached as a PDF. Payment terms are thirty days as agreed. Let me know if your accounts "
     "department needs a purchase order number on it.\n\nBest wishes,\nClaire Dubois"),
    ("Recipe you asked for",
     "Here it is: soak the chickpeas overnight, simmer them for an hour with a bay leaf, then blend with tahini, "
     "lemon, garlic and a splash of the cooking water. The trick is to add the ice cube at the end, it makes it "
     "fluffy. Granny never measured anything so the amounts are guesses."),
    ("Server maintenance window this Saturday",
     "The database cluster will be patched on Saturday between 22:00 and 23:30 UTC. Expect read-only mode for "
     "up to ten minutes while the primary fails over. No action is needed from application owners, but please "
     "avoid scheduling batch jobs in that window."),
    ("Re: flat viewing",
     "Thanks for showing us around yesterday. We liked the light in the living room a lot. Two questions: is "
     "the storage room in the basement included in the rent, and would the landlord allow us to put up shelves? "
     "We can send the references from our current landlord tomorrow."),
    ("Choir rehearsal moved",
     "Rehearsal this week moves from Wednesday to Thursday because the hall is being used for the vote. Same "
     "time, seven thirty. Please look at bars 40 to 72 of the Fauré again; the altos and tenors come in late "
     "at the key change."),
    ("Reading group: next book",
     "We have three suggestions for the next book: a novel set in Lagos, a collection of essays on walking, "
     "and a memoir by a lighthouse keeper. Reply with your first and second choice and I will count the votes "
     "on Sunday."),
    ("Conference travel reimbursement",
     "Hi,\n\nI have submitted the expense report for the Lisbon conference: train tickets, three nights at the "
     "hotel and the registration fee. The taxi receipt from the airport got lost; finance said a short note "
     "explaining it is enough. Could you approve it when you have a minute?\n\nCheers,\nAnand"),
    ("Bug report: export drops the last row",
     "Steps to reproduce: open any table with more than 100 rows, choose Export > CSV, open the file. The last "
     "row is missing. It looks like the final buffer is not flushed when the writer closes. Version 4.2.1 on "
     "Debian, same on the web app."),
    ("Garden allotment committee",
     "The committee meets on the first Monday of the month in the shed by the gate. This time we need to decide "
     "about the water butts and the compost rota. Anyone who wants to take over plot 17 should come along, "
     "the current holder is moving away."),
    ("Re: your order has shipped",
     "Thanks for letting me know. The parcel arrived this morning, but one of the two mugs has a chip on the "
     "rim. I attached a photo. Would it be possible to send a replacement, or should I return it first?"),
    ("Weekly status: search team",
     "Done: ranking experiment rolled out to 10% of traffic, index rebuild now takes 40 minutes instead of 65. "
     "Next: evaluate the click data, clean up the old tokenizer flags. Blocked: we still wait for the new "
     "machines in the second rack."),
    ("Happy birthday!",
     "Happy birthday, old friend! I hope the day is full of cake and good company. We still owe you the dinner "
     "from last year, so pick a date in December and we will cook. Love from all of us."),
    ("Réunion du comité", "Bonjour à tous,\n\nLa réunion du comité aura lieu jeudi à 18 h dans la salle polyvalente. "
     "Nous parlerons du budget de l'été et de la fête du quartier. Merci de confirmer votre présence.\n\nAmitiés,\nRené"),
    ("Перенос встречи", "Добрый день!\n\nВстреча по проекту переносится на пятницу, 11:00. Пожалуйста, подготовьте "
     "отчёт о тестировании и список открытых задач.\n\nС уважением,\nОльга"),
]

SPAM = [
    ("You have been selected for a FREE cruise",
     "Congratulations! Your email address was drawn in our monthly sweepstakes and you have WON a 7-day Caribbean "
     "cruise for two. To claim your prize simply confirm your details and pay the small port fee of $49.95 within "
     "48 hours. Offer expires soon, act now!"),
    ("Lose 20 pounds in 2 weeks guaranteed",
     "Doctors HATE this one simple trick. Our all natural herbal formula melts fat while you sleep. No diet, no "
     "exercise, 100% guaranteed or your money back. Order today and get a second bottle FREE. Limited supply!"),
    ("URGENT: business proposal",
     "Dear friend,\n\nI am the chief accountant of a government ministry and I have discovered an unclaimed sum of "
     "US$27.500.000 in a dormant account. I need a trustworthy foreign partner to receive the funds. You will "
     "receive 30% for your assistance. Please reply with your full name, bank details and private phone number. "
     "This transaction is 100% risk free.\n\nYours faithfully"),
    ("Refinance now at the lowest rates in years",
     "Mortgage rates have dropped to historic lows! Homeowners can save hundreds every month. Get up to five FREE "
     "quotes from approved lenders in minutes, even with bad credit. No obligation, no cost. Click below to see "
     "how much you qualify for."),
    ("Cheap meds online - no prescription needed",
     "Buy brand and generic medications at up to 80% off pharmacy prices. Discreet shipping worldwide, no "
     "prescription required, secure ordering. Viagra, Cialis, weight loss pills and more. Visit our online store "
     "today!"),
    ("Work from home and earn $5000 a week",
     "Are you tired of your boring job? Thousands of people are making serious money from home with our proven "
     "system. No experience needed, just a computer and two hours a day. Start earning immediately. Spaces are "
     "limited, reserve yours now!"),
    ("Your account has been suspended",
     "Dear customer,\n\nWe detected unusual activity on your account and have temporarily suspended access. To "
     "restore your account you must verify your identity within 24 hours, otherwise it will be closed "
     "permanently. Click the secure link below and enter your login and card details.\n\nSecurity Department"),
    ("Increase your credit score fast",
     "Bad credit? Collections? Late payments? Our credit repair experts can remove negative items from your "
     "report legally. Thousands of satisfied clients. Call our toll free number now for a FREE consultation."),
    ("Hot stock alert: this company is about to explode",
     "Our analysts have found a small company that is set to triple in value. Insiders are buying heavily and a "
     "major announcement is expected this week. Get in before the crowd! Symbol: QXTR. This is not investment "
     "advice."),
    ("Replica watches at unbeatable prices",
     "Luxury Swiss replica watches, indistinguishable from the originals. Rolex, Omega, Breitling from only $199. "
     "Free shipping on orders over $300. Thousands of happy customers. Order before they sell out!"),
    ("Get your university degree in 30 days",
     "Obtain a prosperous future, money earning power and the admiration of all. Diplomas from prestigious "
     "non-accredited universities based on your present knowledge and life experience. No required tests, "
     "classes, books or interviews. Call now, 24 hours a day, 7 days a week."),
    ("Claim your $1000 gift card now",
     "You have been chosen to receive a $1000 gift card for your favourite store. Just complete a short survey "
     "about your shopping habits and pay shipping. Hurry, only 3 cards left in your area!"),
    ("Meet hot singles in your area tonight",
     "Lonely? Thousands of singles near you are waiting to chat. Create your free profile in 60 seconds and "
     "start meeting people tonight. 100% discreet, no credit card required."),
    ("Make your website number one on Google",
     "We guarantee a first page ranking for your website in 30 days or your money back. Our search engine "
     "optimization experts submit your site to 500,000 search engines and directories. Special offer: $99 "
     "instead of $499!"),
    ("Important notice about your parcel delivery",
     "We were unable to deliver your parcel because the customs fee of $2.99 was not paid. Please pay the fee "
     "using the link below within 48 hours or the parcel will be returned to the sender."),
    ("Eliminate your debt without bankruptcy",
     "Consolidate all your bills into one low monthly payment. Stop harassing calls from creditors. Cut your "
     "interest in half. Our debt counselors are standing by. Free analysis, no obligation!"),
    ("Exclusive casino bonus: 500% on first deposit",
     "Join the most trusted online casino and get a 500% welcome bonus plus 200 free spins. Instant withdrawals, "
     "thousands of games, jackpots over $1,000,000. Play now and win big!"),
    ("Printer ink cartridges up to 75% off",
     "Why pay more? Compatible ink and toner cartridges for all major brands at a fraction of the price. Same "
     "quality, satisfaction guaranteed, free next day delivery on all orders. Stock up today."),
    ("Re: your inheritance",
     "Attention beneficiary,\n\nThis is to inform you that the sum of 4.5 million dollars has been approved in your "
     "favour as inheritance from a late relative. Contact the paying bank immediately with your full name, "
     "address and a copy of your ID to process the transfer. Keep this strictly confidential."),
    ("Amazing offer: iPhone for $1",
     "Be one of the lucky 100 winners of a brand new smartphone for only $1! This exclusive promotion ends "
     "tonight at midnight. Enter your details now and claim your prize before someone else does."),
    ("Gagnez un iPhone maintenant !", "Félicitations ! Vous avez été sélectionné pour gagner un iPhone. "
     "Répondez à notre questionnaire en 30 secondes et payez seulement les frais de port de 1 €. Offre limitée !"),
    ("Дешёвые лекарства без рецепта", "Купите лекарства со скидкой до 80%! Доставка по всему миру, без рецепта. "
     "Заказывайте прямо сейчас, количество ограничено!"),
]

HAM_SENDERS = [("Marta Lindqvist", "marta@lindqvist.example.org"), ("Jonas Weber", "jonas.weber@example.net"),
               ("Keith Park", "keith@dev.example.com"), ("City Library", "noreply@library.example.gov"),
               ("Sam Okafor", "sam.okafor@example.org"), ("Eleanor Hughes", "eleanor.h@example.co.uk"),
               ("Priya Raman", "priya@school.example.edu"), ("Anand Rao", "anand@example.com"),
               ("Claire Dubois", "claire@traductions.example.fr"), ("Ольга Иванова", "olga@example.ru")]
SPAM_SENDERS = [("Prize Department", "winner@promo-prizes.example.biz"), ("Dr. Health", "offers@slim-fast-now.example.info"),
                ("Mr. James Okoro", "j.okoro1964@freemail.example.com"), ("Mortgage Team", "rates@lowrate-lenders.example.biz"),
                ("Online Pharmacy", "sales@cheap-meds-24.example.ru"), ("Customer Service", "security@account-verify.example.top"),
                ("Stock Insider", "alerts@hot-picks.example.biz"), ("Lucky Winner Team", "claim@giftcard-rewards.example.info")]
SPAM_LINKS = ["http://promo-prizes.example.biz/claim?id=8812", "http://www.slim-fast-now.example.info/order",
              "http://192.0.2.77/verify/login.php", "https://account-verify.example.top/secure/update",
              "http://cheap-meds-24.example.ru/shop", "http://click.track-me.example.biz/r/77263?u=win"]
HAM_LINKS = ["https://wiki.example.org/planning/2026", "https://photos.example.net/album/hike",
             "https://bugs.example.com/show_bug.cgi?id=4412", "https://www.example.gov/library/renew"]

def date(i):
    day = 1 + i % 27
    return f"{['Mon','Tue','Wed','Thu','Fri','Sat','Sun'][i % 7]}, {day:02d} Oct 2026 {8 + i % 12:02d}:{(i * 7) % 60:02d}:{(i * 13) % 60:02d} +0100"

def encode_subject(subject, charset):
    try:
        subject.encode('ascii')
        return subject
    except UnicodeEncodeError:
        return Header(subject, charset).encode()

def address(name, email):
    try:
        name.encode('ascii')
        return f'"{name}" <{email}>'
    except UnicodeEncodeError:
        return f"{Header(name, 'utf-8').encode()} <{email}>"

def html_of(text, spam, link):
    paragraphs = ''.join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
    if spam:
        return (f"<html><head><style>p {{ font-family: Arial }}</style></head><body bgcolor=\"#ffffff\">\n"
                f"<table width=\"600\"><tr><td><font size=\"4\" color=\"#cc0000\"><b>{text.split('.')[0]}!</b></font>\n"
                f"{paragraphs}<p><a href=\"{link}\"><img src=\"{link.rsplit('/', 1)[0]}/banner.gif\" alt=\"CLICK HERE\"></a></p>\n"
                f"<!-- {rng.randrange(10**8)} -->\n<p style=\"font-size:9px\">To unsubscribe <a href=\"{link}&unsub=1\">click here</a>.</p>"
                f"</td></tr></table></body></html>\n")
    return f"<html><body>\n{paragraphs}<p>More: <a href=\"{link}\">{link}</a></p>\n</body></html>\n"

def body_part(text, subtype, charset, encoding):
    raw = text.encode(charset, errors='replace')
    if encoding == 'base64':
        payload = base64.encodebytes(raw).decode('ascii')
    elif encoding == 'quoted-printable':
        payload = quopri.encodestring(raw).decode('ascii')
        if not payload.endswith('\n'):
            payload += '\n'
    else:
        payload = raw.decode(charset)
        if not payload.endswith('\n'):
            payload += '\n'
        encoding = '8bit' if any(ord(c) > 127 for c in payload) else '7bit'
    headers = f"Content-Type: text/{subtype}; charset=\"{charset}\"\nContent-Transfer-Encoding: {encoding}\n"
    return headers, payload

def wrap(text):
    return '\n\n'.join(textwrap.fill(p, 72) if not p.startswith('>') else p for p in text.split('\n\n'))

def message(i, spam, subject, text, structure):
    """Returns the message as bytes (8-bit bodies are written in their declared charset)."""
    text_message, charset = compose(i, spam, subject, text, structure)
    return text_message.encode(charset, errors='replace')

def compose(i, spam, subject, text, structure):
    sender = (SPAM_SENDERS if spam else HAM_SENDERS)[i % len(SPAM_SENDERS if spam else HAM_SENDERS)]
    link = (SPAM_LINKS if spam else HAM_LINKS)[i % len(SPAM_LINKS if spam else HAM_LINKS)]
    charset = 'utf-8'
    if any(ord(c) > 127 for c in text + subject):
        charset = 'koi8-r' if any('\u0400' <= c <= '\u04ff' for c in text) else ('iso-8859-1' if i % 2 else 'windows-1252')
    text = wrap(text)
    domain = sender[1].split('@')[1]
    head = [f"From: {address(*sender)}",
            f"To: {'undisclosed-recipients:;' if spam and i % 3 == 0 else 'you@home.example.net'}",
            f"Subject: {encode_subject(subject, charset if charset != 'windows-1252' else 'iso-8859-1')}",
            f"Date: {date(i)}",
            f"Message-ID: <{1000 + i}.{'s' if spam else 'h'}{rng.randrange(10**6)}@{domain}>",
            "MIME-Version: 1.0"]
    if spam and i % 2:
        head.append(f"X-Mailer: {['Bulk Mailer Pro 4.1', 'Microsoft Outlook Express 6.00.2600.0000', 'MassSender 2'][i % 3]}")
    if spam and i % 4 == 1:
        head.append(f"Reply-To: <{['claims', 'agent', 'office'][i % 3]}@reply-desk.example.biz>")
    if not spam and i % 3 == 0:
        head.append("User-Agent: Mozilla Thunderbird 115.3")
    if not spam and i % 5 == 0:
        head.append("List-Id: Project discussion <dev.lists.example.org>")
    body_text = text + (f"\n\n{link}\n" if spam or i % 4 == 0 else "\n")
    if structure == 'plain':
        h, p = body_part(body_text, 'plain', charset, '7bit')
        return '\n'.join(head) + '\n' + h + '\n' + p, charset
    if structure == 'qp':
        h, p = body_part(body_text, 'plain', charset, 'quoted-printable')
        return '\n'.join(head) + '\n' + h + '\n' + p, charset
    if structure == 'base64':
        h, p = body_part(body_text, 'plain', charset, 'base64')
        return '\n'.join(head) + '\n' + h + '\n' + p, charset
    if structure == 'html':
        h, p = body_part(html_of(text, spam, link), 'html', charset, 'quoted-printable' if i % 2 else '7bit')
        return '\n'.join(head) + '\n' + h + '\n' + p, charset
    boundary = f"----=_Part_{i}_{rng.randrange(10**9)}"
    if structure == 'alternative':
        h1, p1 = body_part(body_text, 'plain', charset, 'quoted-printable')
        h2, p2 = body_part(html_of(text, spam, link), 'html', charset, 'base64' if spam else 'quoted-printable')
        return ('\n'.join(head) + f'\nContent-Type: multipart/alternative; boundary="{boundary}"\n\n'
                f"This is a multi-part message in MIME format.\n\n--{boundary}\n{h1}\n{p1}\n--{boundary}\n{h2}\n{p2}\n--{boundary}--\n"), charset
    if structure == 'attachment':
        h1, p1 = body_part(body_text, 'plain', charset, '7bit')
        if spam:
            name, ctype, data = 'invoice_details.zip', 'application/zip', bytes(rng.randrange(256) for _ in range(600))
        else:
            name, ctype, data = 'notes.pdf', 'application/pdf', b'%PDF-1.4\n' + bytes(rng.randrange(256) for _ in range(500))
        payload = base64.encodebytes(data).decode('ascii')
        return ('\n'.join(head) + f'\nContent-Type: multipart/mixed; boundary="{boundary}"\n\n'
                f"--{boundary}\n{h1}\n{p1}\n--{boundary}\nContent-Type: {ctype}; name=\"{name}\"\n"
                f"Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"{name}\"\n\n{payload}\n--{boundary}--\n"), charset
    raise ValueError(structure)

STRUCTURES = ['plain', 'alternative', 'qp', 'html', 'base64', 'attachment']

def main():
    index = []
    for label, items in (('ham', HAM), ('spam', SPAM)):
        folder = os.path.join(ROOT, label)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            os.remove(os.path.join(folder, old))
        n = 0
        for round_ in range(3):
            for k, (subject, text) in enumerate(items):
                i = round_ * len(items) + k
                structure = STRUCTURES[(k + round_ * 2) % len(STRUCTURES)]
                if label == 'ham' and structure == 'html' and round_ == 1:
                    structure = 'plain'
                subj = subject if round_ == 0 else (("Re: " if label == 'ham' else "") + subject if round_ == 1 else subject + (" (reminder)" if label == 'ham' else " !!!"))
                crlf = (i % 10 == 7)
                text_variant = text if round_ == 0 else (text + ("\n\nSent from my phone." if label == 'ham' else "\n\nThis message was sent to you because you opted in. Reply REMOVE to stop."))
                msg = message(i, label == 'spam', subj, text_variant, structure)
                if i % 9 == 4:
                    msg = f"From {'sender@example.org' if label == 'ham' else 'bounce@example.biz'} {date(i)[:-6]}\n".encode() + msg
                data = msg
                if crlf:
                    data = data.replace(b'\n', b'\r\n')
                name = f"{label}-{n:03d}.eml"
                with open(os.path.join(folder, name), 'wb') as f:
                    f.write(data)
                index.append(f"{label} {label}/{name}")
                n += 1
    with open(os.path.join(ROOT, 'index'), 'w') as f:
        f.write("# Hamlet's sample corpus: label and path, relative to this file (TREC spam-track index format).\n")
        f.write('\n'.join(index) + '\n')

if __name__ == '__main__':
    main()
