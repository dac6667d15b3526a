"""Closed word classes that name detection needs, written for this project (facts about English).

A capitalised word at the start of a sentence proves nothing: "The", "But", "It" and "Officials"
are capitalised there too. These lists say which words are never names on their own (function
words, pronouns, titles, nationality adjectives, acronyms of common nouns); the evidence rules in
:mod:`pipeline.names.suggest` decide the rest from the articles themselves.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Determiners, pronouns, prepositions, conjunctions, auxiliaries, and the adverbs and discourse
#: words that open news sentences. Compared case-folded.
FUNCTION_WORDS = _words(
    "a an the this that these those some any each every all both either neither no none many much "
    "more most few several such other another own same what which who whom whose whatever whoever "
    "i me my mine we us our ours you your yours he him his she her hers it its they them their theirs "
    "myself yourself himself herself itself ourselves themselves one ones "
    "in on at by for from to of off with without within into onto upon over under above below about "
    "after before since until till during through throughout across along among amid amidst around "
    "against between beyond despite except inside outside near toward towards via per than like unlike "
    "and but or nor so yet if unless because although though while whereas when whenever where "
    "wherever whether once as then thus hence therefore however meanwhile moreover furthermore "
    "nevertheless nonetheless otherwise instead also too still already even only just again "
    "is are was were be been being am has have had having do does did done can could may might must "
    "shall should will would not never yes here there now today tonight yesterday tomorrow soon later "
    "earlier recently currently finally first second third last next previously initially eventually "
    "overall indeed perhaps maybe certainly clearly instead altogether nearly almost about around "
    "according asked speaking writing including given following regarding "
    "why how hi hello oh ok okay please thanks sorry well"
)
#: Plural and common nouns that open news sentences capitalised ("Officials said...").
COMMON_STARTERS = _words(
    "officials official residents witnesses analysts experts critics protesters police soldiers troops "
    "forces militants fighters rebels authorities sources reports people families children women men "
    "many most some others security government lawmakers leaders diplomats investigators prosecutors "
    "doctors medics rescuers workers students voters citizens refugees migrants observers economists "
    "shares prices markets oil talks negotiations attacks clashes fighting violence elections meanwhile "
    "separately still despite asked speaking shortly"
)
TITLES = _words(
    "Sheikh Shaikh Sheik Mr Mrs Ms Miss Dr Prof Professor President Premier Prime Minister Ministers "
    "King Queen Prince Princess Emir Sultan Crown General Gen Colonel Col Lieutenant Lt Major Maj "
    "Captain Capt Sergeant Sgt Corporal Private Admiral Imam Ayatollah Sayyed Sayyid Mullah Cleric "
    "Governor Gov Senator Sen Rep Representative Congressman Congresswoman Judge Justice Deputy "
    "Commander Brigadier Marshal Pope Bishop Archbishop Cardinal Patriarch Rabbi Rev Father Saint St "
    "Sir Dame Lord Lady Baroness Baron Mayor Chief Chairman Chairwoman Chair Spokesman Spokeswoman "
    "Spokesperson Ambassador Envoy Secretary Secretary-General Chancellor Vice Vice-President Speaker "
    "Director Director-General CEO Chief-Executive Chief-of-Staff Dean Sheikha Sayeda Hajj Haji Mufti "
    "Coach Officer Inspector Superintendent Detective Constable"
)
#: Words that qualify a title ("Foreign Minister", "Defence Secretary", "Lord Justice").
TITLE_QUALIFIERS = _words(
    "Foreign Defence Defense Interior Finance Health Education Justice Oil Energy Trade Economy Labour "
    "Labor Transport Culture Information Water Agriculture Home State Attorney Supreme Grand Senior "
    "Former Acting Interim Caretaker Deputy Vice Assistant Executive Managing Regional Provincial "
    "Military Police Army Navy Air Force Security Intelligence Central National Federal Opposition "
    "Shadow High Chief Lieutenant Major Prime Crown First Second Third Honorary Special UN US EU Under"
)
#: Nationality and regional adjectives: a description, not a name to protect.
DEMONYMS = _words(
    "American British English Scottish Welsh Irish French German Italian Spanish Portuguese Dutch "
    "Belgian Swiss Austrian Swedish Norwegian Danish Finnish Polish Czech Slovak Hungarian Romanian "
    "Bulgarian Greek Turkish Cypriot Russian Ukrainian Belarusian Georgian Armenian Azerbaijani Azeri "
    "Kazakh Uzbek Turkmen Afghan Pakistani Indian Bangladeshi Chinese Japanese Korean Vietnamese Thai "
    "Indonesian Malaysian Filipino Australian Canadian Mexican Brazilian Argentine Argentinian "
    "Chilean Cuban Venezuelan Colombian Peruvian Egyptian Libyan Tunisian Algerian Moroccan Sudanese "
    "Ethiopian Somali Kenyan Nigerian African Arab Arabian Arabic Iraqi Iranian Persian Syrian "
    "Lebanese Jordanian Palestinian Israeli Saudi Emirati Qatari Kuwaiti Bahraini Omani Yemeni Kurdish "
    "Kurd Kurds Turkmen Yazidi Shiite Shia Shi'ite Sunni Alawite Druze Christian Muslim Jewish Islamic "
    "Islamist Western Eastern Northern Southern Middle-Eastern Gulf European Asian Latin Balkan Iberian "
    "Scandinavian Nordic Baltic Caucasian Levantine Maghreb Sahrawi Bedouin Assyrian Chaldean Coptic "
    "Catholic Protestant Orthodox Sunnis Shiites Arabs Israelis Palestinians Iraqis Syrians Iranians "
    "Americans Europeans Russians Turks Kurds Saudis Egyptians Lebanese Jordanians"
)
#: Acronyms of common nouns ("LNG", "GDP"): not names, whatever their capitals.
COMMON_ACRONYMS = _words(
    "LNG LPG GDP GNP CEO CFO COO CTO TV AM PM OK PC ID IT AI IVF DNA RNA HIV AIDS GPS SMS PDF USB "
    "VIP NGO NGOs IED IEDs RPG RPGs SUV SUVs ATM VAT IPO FDI BBL MW GW KW KM MPH UTC GMT BC AD "
    "PhD MBA MP MPs QC COVID FAQ DIY ETA CCTV ICU ER EV EVs"
)
#: Head nouns of organisations that are not names on their own ("the Ministry said").
GENERIC = _words(
    "Ministry Government Parliament Council Cabinet Court Army Navy Police Party Bank University "
    "Committee Agency Authority Office Department Forces Force Province Governorate City State Republic "
    "Kingdom Embassy Consulate Mission Assembly Senate House Commission Corporation Company Group "
    "Organization Organisation Union Association Federation Front Movement Alliance Coalition "
    "Brigade Brigades Division Battalion Regiment Unit Command Centre Center Institute School Hospital "
    "Airport Port Street Road Square Mosque Church Camp Prison Festival Prize Cup League Daily "
    "North South East West Central Upper Lower New Old Greater Region Middle Western Eastern "
    "Northern Southern Islamic National International Democratic Popular Revolutionary"
)
#: Lower-case words that may sit inside a name: "Abu Bakr al-Baghdadi", "Bank of England".
PARTICLES = _words(
    "al el ad an ar as at az bin ibn bint abu abd of for de da del della di la le van von der den du"
)
#: Capitalised words that open an Arabic name ("Abu Ahmed", "Umm Kulthum"), whatever follows.
NAME_OPENERS = _words("Abu Umm Ibn Bin Abd Abdul Abdel Al")
#: Regional adjectives cut off the front of a run: "Northern Syria" is Syria, described.
REGIONAL = _words("Northern Southern Eastern Western Northeastern Northwestern Southeastern Southwestern")
CALENDAR = _words(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct "
    "Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun Ramadan Eid Christmas Easter"
)
#: Given names, so that "Stanley Fischer" at the start of a sentence is a person, not "Fischer".
GIVEN_NAMES = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew "
    "Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward "
    "Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin "
    "Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Henry "
    "Nathan Douglas Zachary Peter Kyle Walter Ethan Jeremy Harold Keith Christian Roger Noah Gerald "
    "Carl Terry Sean Austin Arthur Lawrence Jesse Dylan Bryan Joe Jordan Billy Bruce Albert Willie "
    "Gabriel Logan Alan Juan Wayne Roy Ralph Randy Eugene Vincent Russell Elijah Louis Bobby Philip "
    "Johnny Tony Hillary Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen "
    "Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa "
    "Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda "
    "Pamela Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria "
    "Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith "
    "Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean "
    "Alice Madison Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia "
    "Marie Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla Stanley Curt Kurt Tim Tom Jim "
    "Bill Bob Mike Ben Dan Nick Sam Max Tony Barack Vladimir Xi Boris Emmanuel Angela Recep Benjamin "
    "Mohammed Muhammad Mohammad Mohamed Ahmed Ahmad Ali Hassan Hasan Hussein Hussain Omar Umar Khalid "
    "Khaled Mustafa Mahmoud Ibrahim Youssef Yusuf Saleh Salah Abdullah Abdallah Saeed Said Hamid Karim "
    "Nasser Jamal Fatima Aisha Layla Leila Tariq Ziad Walid Faisal Abbas Qassem Haider Jafar Nouri "
    "Osama Hamza Yasser Yasir Hosni Hafez Bashar Saddam Ayman Hamad Tamim Zayed Sultan Rania Noor "
    "Nour Mona Huda Samir Sami Rami Fadi Hadi Majid Nabil Adel Adil Amr Amir Emir Reza Hassan Rafik "
    "Rafiq Fouad Fuad Ghassan Hani Imad Issa Jawad Kamal Latif Mahdi Marwan Nizar Riyad Salim Tawfiq "
    "Jeff Gabe Wendy Ed Greg Josh Jon Matt Chris Steve Pete Rick Ron Ken Liz Kate Jane Sue Meg "
    "Wael Yahya Younis Yunus Zaid Zeid Ismail Idris Anwar Ayad Iyad Adnan Nuri Masoud Massoud Ashraf"
)
#: Verbs whose subject at the start of a sentence is a name when nothing else says so ("Bechtel said").
SPEECH_VERBS = _words("said says told announced added reported stated denied confirmed warned")
