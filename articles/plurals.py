"""Broken plurals and relational adjectives that light stemming cannot reach.

Arabic forms many plurals by changing a word's pattern (مدرسة / مدارس, زائر / زوار), and a
relational adjective (nisba) can stem apart from its noun (برلمانية -> برلمان, but البرلمان ->
برلم, since ان is also the dual suffix). Suffix stripping cannot join these, so search uses this
hand-written list as a second tier: a query word found here is also looked for in its other forms.

How the list was made, and what keeps it honest:

- Everyday news vocabulary only, each pair written from the grammar of the word, not generated.
- A form that is also another common word is left out, with its partner: كتب (books, and "he
  wrote"), طرق (roads, "knocked"), عقد (contracts, "held"), مزارع (farms, "farmer"), فرق
  (teams, "difference"), علماء/عالم (world), ملوك/ملك (owns), ديون/دين (religion), معارض
  (exhibitions, "opponent"), أحياء/حي (alive), مرضى (مرضي, "satisfying"), مبنى (مبني, "built"),
  دقيقة ("precise"), مصدر ("exporter"), مركب ("compound"), طلبة (طلبه, "his request"), أسر
  ("captivity"), and the relational adjectives مالي (Mali), دولي and مدني (not "of the state",
  "of the city").
- A plural is matched as the stemmer matches any word, so a partner is also found with a
  suffix (زواره finds زوار). A partner whose suffixed form is another common word is left out
  too: شهور (شهرة, fame), أعوام (عامة, public), أحكام (حكمة, wisdom), أخبار (خبرة, expertise),
  صفوف (صفة), شروط (شرطة, police), شعوب (شعبة), تجار (تجارة), سياح (سياحة), مدن (مدني).
- Sound plurals (ات، ون، ين) are not listed: the stemmer already strips them.
- tests/test_plurals.py checks that no form belongs to two groups and that no form is a light
  stem of a listed form of another group, and measures the search evaluation with the list.

Entries are written as a reader would spell them; ``arabic.normalize()`` folds them when the
table is built, so hamza, alef maksura and teh marbuta need no care here.
"""

import functools

from .arabic import normalize

# (singular, plural, ...): all the forms of one noun that the stemmer cannot join.
BROKEN_PLURALS = [
    ("مدرسة", "مدارس"),
    ("زائر", "زوار"),
    ("سفينة", "سفن"),
    ("دولة", "دول"),
    ("وزير", "وزراء"),
    ("شارع", "شوارع"),
    ("طفل", "أطفال"),
    ("رجل", "رجال"),
    ("امرأة", "نساء"),
    ("طالب", "طلاب"),
    ("عامل", "عمال"),
    ("مسجد", "مساجد"),
    ("كنيسة", "كنائس"),
    ("مصنع", "مصانع"),
    ("مشروع", "مشاريع"),
    ("منطقة", "مناطق"),
    ("مركز", "مراكز"),
    ("مجلس", "مجالس"),
    ("مكتب", "مكاتب"),
    ("قرية", "قرى"),
    ("يوم", "أيام"),
    ("بلد", "بلاد", "بلدان"),
    ("جيش", "جيوش"),
    ("سلاح", "أسلحة"),
    ("حزب", "أحزاب"),
    ("نائب", "نواب"),
    ("قاضي", "قضاة"),
    ("شاهد", "شهود"),
    ("سعر", "أسعار"),
    ("سوق", "أسواق"),
    ("بنك", "بنوك"),
    ("مصرف", "مصارف"),
    ("درس", "دروس"),
    ("نهر", "أنهار"),
    ("جبل", "جبال"),
    ("جسر", "جسور"),
    ("ميناء", "موانئ"),
    ("حادث", "حوادث"),
    ("جريمة", "جرائم"),
    ("سجن", "سجون"),
    ("سجين", "سجناء"),
    ("طبيب", "أطباء"),
    ("دواء", "أدوية"),
    ("نادي", "أندية"),
    ("ملعب", "ملاعب"),
    ("بطل", "أبطال"),
    ("هدف", "أهداف"),
    ("فيلم", "أفلام"),
    ("شاعر", "شعراء"),
    ("متحف", "متاحف"),
    ("قصر", "قصور"),
    ("بيت", "بيوت"),
    ("منزل", "منازل"),
    ("أرض", "أراضي", "أراض"),
    ("حقل", "حقول"),
    ("محصول", "محاصيل"),
    ("شجرة", "أشجار"),
    ("عضو", "أعضاء"),
    ("رئيس", "رؤساء"),
    ("أمير", "أمراء"),
    ("سفير", "سفراء"),
    ("زعيم", "زعماء"),
    ("قائد", "قادة"),
    ("جندي", "جنود"),
    ("ضابط", "ضباط"),
    ("قانون", "قوانين"),
    ("حق", "حقوق"),
    ("صحيفة", "صحف"),
    ("موقع", "مواقع"),
    ("برنامج", "برامج"),
    ("جهاز", "أجهزة"),
    ("نظام", "أنظمة"),
    ("مكان", "أماكن"),
    ("سؤال", "أسئلة"),
    ("رأي", "آراء"),
    ("فكرة", "أفكار"),
    ("وقت", "أوقات"),
    ("أسبوع", "أسابيع"),
    ("صاروخ", "صواريخ"),
    ("سلعة", "سلع"),
    ("ضريبة", "ضرائب"),
    ("قرض", "قروض"),
    ("أستاذ", "أساتذة"),
    ("حاكم", "حكام"),
    ("إقليم", "أقاليم"),
    ("بئر", "آبار"),
    ("سد", "سدود"),
    ("نفق", "أنفاق"),
    ("صحراء", "صحارى"),
    ("عاصمة", "عواصم"),
    ("قلعة", "قلاع"),
    ("شاطئ", "شواطئ"),
    ("حديقة", "حدائق"),
    ("مسرح", "مسارح"),
    ("جائزة", "جوائز"),
    ("مليون", "ملايين"),
    ("ألف", "آلاف"),
    ("رقم", "أرقام"),
    ("عدد", "أعداد"),
    ("صوت", "أصوات"),
    ("لجنة", "لجان"),
    ("محكمة", "محاكم"),
    ("قضية", "قضايا"),
    ("تهمة", "تهم"),
    ("ضحية", "ضحايا"),
    ("جريح", "جرحى"),
    ("قتيل", "قتلى"),
    ("حرب", "حروب"),
    ("معركة", "معارك"),
    ("عدو", "أعداء"),
    ("صديق", "أصدقاء"),
    ("ابن", "أبناء"),
    ("ولد", "أولاد"),
    ("قبيلة", "قبائل"),
    ("فقير", "فقراء"),
    ("غني", "أغنياء"),
    ("مسكن", "مساكن"),
    ("شقة", "شقق"),
    ("طابق", "طوابق"),
    ("راكب", "ركاب"),
    ("فندق", "فنادق"),
    ("مطعم", "مطاعم"),
    ("بند", "بنود"),
    ("فصل", "فصول"),
    ("إمام", "أئمة"),
    ("شيخ", "شيوخ"),
    ("شهيد", "شهداء"),
    ("سبب", "أسباب"),
    ("نتيجة", "نتائج"),
    ("وسيلة", "وسائل"),
    ("رسالة", "رسائل"),
    ("دليل", "أدلة"),
    ("تقرير", "تقارير"),
    ("خريطة", "خرائط"),
    ("صورة", "صور"),
    ("قصة", "قصص"),
    ("كنز", "كنوز"),
    ("معدن", "معادن"),
]

# (noun, relational adjective): the adjective is written in its masculine singular; its
# feminine and sound plurals (ية، يون، يين، يات) are added when the table is built.
RELATIONAL_ADJECTIVES = [
    ("برلمان", "برلماني"),
    ("اقتصاد", "اقتصادي"),
    ("سياسة", "سياسي"),
    ("حكومة", "حكومي"),
    ("رياضة", "رياضي"),
    ("صحة", "صحي"),
    ("تعليم", "تعليمي"),
    ("ثقافة", "ثقافي"),
    ("زراعة", "زراعي"),
    ("صناعة", "صناعي"),
    ("تجارة", "تجاري"),
    ("أمن", "أمني"),
    ("نفط", "نفطي"),
    ("بيئة", "بيئي"),
    ("قضاء", "قضائي"),
    ("دستور", "دستوري"),
    ("مصر", "مصري"),
    ("خليج", "خليجي"),
    ("أفريقيا", "أفريقي"),
    ("أوروبا", "أوروبي"),
    ("إعلام", "إعلامي"),
    ("طب", "طبي"),
    ("تاريخ", "تاريخي"),
    ("سياحة", "سياحي"),
    ("قانون", "قانوني"),
    ("جامعة", "جامعي"),
    ("حزب", "حزبي"),
    ("وطن", "وطني"),
]
_ADJECTIVE_ENDINGS = ("", "ة", "ون", "ين", "ات")


@functools.cache
def groups():
    """Every group as a tuple of normalised forms; a noun's adjective joins its plural's group."""
    found = [list(forms) for forms in BROKEN_PLURALS]
    by_noun = {normalize(group[0]): group for group in found}
    for noun, adjective in RELATIONAL_ADJECTIVES:
        forms = [adjective + ending for ending in _ADJECTIVE_ENDINGS]
        group = by_noun.get(normalize(noun))
        if group is None:
            found.append([noun, *forms])
        else:
            group.extend(forms)
    return tuple(tuple(dict.fromkeys(normalize(form) for form in group)) for group in found)


@functools.cache
def _table():
    return {form: group for group in groups() for form in group}


def other_forms(word):
    """The other listed forms of the normalised bare ``word`` (no clitics), or ()."""
    return tuple(form for form in _table().get(word, ()) if form != word)
