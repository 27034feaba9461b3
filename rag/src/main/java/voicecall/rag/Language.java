package voicecall.rag;

import java.util.Locale;
import java.util.Optional;

/** The languages the knowledge base answers in. */
public enum Language {
  /** Korean. */
  KO,
  /** English. */
  EN;

  /** Share of Hangul among letters at or above which a text counts as Korean. */
  private static final double HANGUL_SHARE_FOR_KOREAN = 0.3;

  /**
   * The two-letter code used in uploads, the database and the API.
   *
   * @return {@code ko} or {@code en}
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a language code, ignoring case and surrounding spaces.
   *
   * @param code {@code ko} or {@code en}
   * @return the language, or empty if the code is not one we answer in
   */
  public static Optional<Language> fromCode(String code) {
    return switch (code.strip().toLowerCase(Locale.ROOT)) {
      case "ko" -> Optional.of(KO);
      case "en" -> Optional.of(EN);
      default -> Optional.empty();
    };
  }

  /**
   * Guesses the language of a text from its share of Hangul letters: Korean FAQ text often mixes in
   * Latin brand names, so a minority of Hangul is already enough to call it Korean.
   *
   * @param text any text
   * @return {@link #KO} when enough of its letters are Hangul, otherwise {@link #EN}
   */
  public static Language detect(String text) {
    int letters = 0;
    int hangul = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        letters++;
        if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL) {
          hangul++;
        }
      }
    }
    return letters > 0 && hangul >= HANGUL_SHARE_FOR_KOREAN * letters ? KO : EN;
  }
}
