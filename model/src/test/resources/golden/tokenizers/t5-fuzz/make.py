"""Random prompts -> sentencepiece ids, as extra T5 goldens (see README.md next to this file).

Run: python3 make.py ../t5/spiece.model > cases.json   (Debian bookworm: python3-sentencepiece 0.1.97)
"""
import json
import random
import sys

import sentencepiece as spm

sp = spm.SentencePieceProcessor(model_file=sys.argv[1])
rnd = random.Random(20240601)

# Prompt-like pieces: words, whitespace variants, punctuation, accents (NFC and NFD), CJK, kana, hangul,
# emoji sequences, compatibility characters NFKC rewrites, other scripts, control and format characters.
pool = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") * 4
pool += [" "] * 30 + list("\t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2003\u2009\u200a\u200b\u200c\u200d\u2028\u2029"
                          "\u202f\u205f\u3000\ufeff\u00ad\u2060\x00\x01\x1f\x7f\ufffd\ue000")
pool += list(".,;:!?'\"()[]{}<>@#$%^&*-_=+/\\|~`")
pool += list("éèêëàâäôöûüçñåæøœßÅÆØŒİıŞşĞğÇÖÜẞΣσςΑλφ") + ["e\u0301", "a\u0308", "\u0301", "i\u0307", "\u1100\u1161"]
pool += list("一只猫坐在木凳上東京の夜景がベンチに座っているカタカナ고양이나무벤치ａｂｃＡＢＣ１２３ﬁﬂﬀﬃ²³¹½¼…‥—–‐“”‘’«»€£¥₹©®™°±×÷√∞≠≤")
pool += ["😀", "🐱", "👍🏽", "❤️", "👨\u200d👩\u200d👧", "🇯🇵", "🫠", "🥹", "✨", "𝐀𝐁𝐂", "𝕏", "ⓐ", "⑴", "㎡", "㈱", "Ⅻ", "ǅ", "ᴬ", "ʰ", "ℌ", "№", "ſ", "ﬅ", "ᾳ", "ΐ"]
pool += ["Привет", "Ελληνικά", "עברית", "العربية", "हिन्दी", "ไทย", "cat", "photo", "astronaut", "watercolor", "8k", "HDR", "hyper-realistic", "the", "a", "an", "of"]

prompts = []
for _ in range(1000):
    parts = []
    for _ in range(rnd.randint(0, 40)):
        parts.append(rnd.choice(pool))
        if rnd.random() < 0.4:
            parts.append(" ")
    prompts.append("".join(parts))
# Random code points over the BMP and the supplementary planes (no surrogates).
for _ in range(1000):
    cps = []
    for _ in range(rnd.randint(1, 30)):
        r = rnd.random()
        cp = (rnd.randint(0x20, 0x7E) if r < 0.5 else rnd.randint(0x80, 0x2FFF) if r < 0.8
              else rnd.randint(0x3000, 0xFFFF) if r < 0.9 else rnd.randint(0x10000, 0x2FFFF))
        cps.append(chr(0x41 if 0xD800 <= cp <= 0xDFFF else cp))
    prompts.append("".join(cps))

cases = [{"prompt": p, "ids": sp.encode(p), "pieces": sp.encode(p, out_type=str)} for p in prompts]
json.dump({"generated_with": "sentencepiece %s SentencePieceProcessor.encode on spiece.model" % spm.__version__,
           "cases": cases}, sys.stdout, ensure_ascii=False)
