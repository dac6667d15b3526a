"""Well-known names as Arabic media write them: a curated table written for this project.

These are facts of usage (how Arabic-language news writes a famous person, organisation or place),
written down here from general knowledge, not copied from any source; ``tests/test_known_forms.py``
checks the table's shape (Arabic orthography, no Persian letters, every key a real English
spelling). A rule-based transliteration of "Yasser Arafat" gives يسر أرافات; Arabic writes ياسر عرفات,
and no letter rule can know that, hence the table.
"""

from __future__ import annotations


def _table(text: str) -> dict[str, str]:
    """``English = Arabic`` lines; keys are compared case-folded."""
    table: dict[str, str] = {}
    for line in text.strip().splitlines():
        en, ar = (part.strip() for part in line.split("="))
        table[en.casefold()] = ar
    return table


#: Whole names (people, organisations, places) with their established Arabic form.
WELL_KNOWN: dict[str, str] = _table(
    """
    Yasser Arafat = ياسر عرفات
    Mahmoud Abbas = محمود عباس
    Abu Mazen = أبو مازن
    Hosni Mubarak = حسني مبارك
    Anwar Sadat = أنور السادات
    Gamal Abdel Nasser = جمال عبد الناصر
    Abdel Fattah al-Sisi = عبد الفتاح السيسي
    Abdel Fattah el-Sisi = عبد الفتاح السيسي
    Mohamed Morsi = محمد مرسي
    Saddam Hussein = صدام حسين
    Bashar al-Assad = بشار الأسد
    Hafez al-Assad = حافظ الأسد
    Muammar Gaddafi = معمر القذافي
    Muammar Qaddafi = معمر القذافي
    Osama bin Laden = أسامة بن لادن
    Ayman al-Zawahiri = أيمن الظواهري
    Hassan Nasrallah = حسن نصر الله
    Ismail Haniyeh = إسماعيل هنية
    Yahya Sinwar = يحيى السنوار
    Khaled Meshaal = خالد مشعل
    Ali Khamenei = علي خامنئي
    Ruhollah Khomeini = روح الله الخميني
    Hassan Rouhani = حسن روحاني
    Mahmoud Ahmadinejad = محمود أحمدي نجاد
    Ebrahim Raisi = إبراهيم رئيسي
    Masoud Pezeshkian = مسعود بزشكيان
    Qassem Soleimani = قاسم سليماني
    Nouri al-Maliki = نوري المالكي
    Haider al-Abadi = حيدر العبادي
    Mustafa al-Kadhimi = مصطفى الكاظمي
    Mohammed Shia al-Sudani = محمد شياع السوداني
    Muqtada al-Sadr = مقتدى الصدر
    Ali al-Sistani = علي السيستاني
    Masoud Barzani = مسعود بارزاني
    Jalal Talabani = جلال طالباني
    Recep Tayyip Erdogan = رجب طيب أردوغان
    Benjamin Netanyahu = بنيامين نتنياهو
    Ariel Sharon = أرييل شارون
    Yitzhak Rabin = إسحاق رابين
    Shimon Peres = شمعون بيريز
    King Abdullah = الملك عبد الله
    King Salman = الملك سلمان
    Mohammed bin Salman = محمد بن سلمان
    Mohammed bin Zayed = محمد بن زايد
    Tamim bin Hamad Al Thani = تميم بن حمد آل ثاني
    Rafik Hariri = رفيق الحريري
    Saad Hariri = سعد الحريري
    Michel Aoun = ميشال عون
    Najib Mikati = نجيب ميقاتي
    Abdelaziz Bouteflika = عبد العزيز بوتفليقة
    Zine El Abidine Ben Ali = زين العابدين بن علي
    Omar al-Bashir = عمر البشير
    Ali Abdullah Saleh = علي عبد الله صالح
    Abd Rabbuh Mansur Hadi = عبد ربه منصور هادي
    Kofi Annan = كوفي أنان
    Ban Ki-moon = بان كي مون
    Antonio Guterres = أنطونيو غوتيريش
    Barack Obama = باراك أوباما
    George W. Bush = جورج دبليو بوش
    George Bush = جورج بوش
    Bill Clinton = بيل كلينتون
    Hillary Clinton = هيلاري كلينتون
    Donald Trump = دونالد ترامب
    Joe Biden = جو بايدن
    Tony Blair = توني بلير
    Vladimir Putin = فلاديمير بوتين
    Angela Merkel = أنغيلا ميركل
    Emmanuel Macron = إيمانويل ماكرون
    Condoleezza Rice = كوندوليزا رايس
    John Kerry = جون كيري
    Antony Blinken = أنتوني بلينكن
    United Nations = الأمم المتحدة
    Security Council = مجلس الأمن
    UN Security Council = مجلس الأمن الدولي
    European Union = الاتحاد الأوروبي
    Arab League = جامعة الدول العربية
    NATO = حلف شمال الأطلسي
    Red Cross = الصليب الأحمر
    Red Crescent = الهلال الأحمر
    World Bank = البنك الدولي
    International Monetary Fund = صندوق النقد الدولي
    IMF = صندوق النقد الدولي
    OPEC = أوبك
    Hamas = حماس
    Hezbollah = حزب الله
    Fatah = فتح
    Muslim Brotherhood = جماعة الإخوان المسلمين
    Taliban = طالبان
    al-Qaeda = القاعدة
    Al Qaeda = القاعدة
    Pentagon = البنتاغون
    White House = البيت الأبيض
    Kremlin = الكرملين
    State Department = وزارة الخارجية الأمريكية
    Al Jazeera = الجزيرة
    Reuters = رويترز
    Associated Press = أسوشيتد برس
    Voice of America = صوت أمريكا
    Gaza Strip = قطاع غزة
    West Bank = الضفة الغربية
    Golan Heights = مرتفعات الجولان
    Sinai = سيناء
    Kurdistan = كردستان
    Persian Gulf = الخليج الفارسي
    Arabian Gulf = الخليج العربي
    Red Sea = البحر الأحمر
    Suez Canal = قناة السويس
    Strait of Hormuz = مضيق هرمز
    Euphrates = الفرات
    Tigris = دجلة
    Nile = النيل
    Mecca = مكة المكرمة
    Medina = المدينة المنورة
    Jerusalem = القدس
    Tikrit = تكريت
    Kirkuk = كركوك
    Basra = البصرة
    Najaf = النجف
    Karbala = كربلاء
    Fallujah = الفلوجة
    Erbil = أربيل
    Sulaimaniyah = السليمانية
    Deir ez-Zor = دير الزور
    Idlib = إدلب
    Homs = حمص
    Hama = حماة
    Aleppo = حلب
    Latakia = اللاذقية
    Daraa = درعا
    Sanaa = صنعاء
    Aden = عدن
    Hodeidah = الحديدة
    Benghazi = بنغازي
    Tripoli = طرابلس
    Ramallah = رام الله
    Hebron = الخليل
    Nablus = نابلس
    Jenin = جنين
    Rafah = رفح
    Khan Younis = خان يونس
    Sheikh Jarrah = الشيخ جراح
    """
)
