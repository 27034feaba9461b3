package voicecall.tts;

import java.util.Locale;

/** A language the speech output can speak. */
public enum Language {
  /** Korean. */
  KOREAN("ko"),
  /** English. */
  ENGLISH("en");

  private final String tag;

  Language(String tag) {
    this.tag = tag;
  }

  /**
   * The two-letter language tag.
   *
   * @return {@code ko} or {@code en}
   */
  public String tag() {
    return tag;
  }

  /**
   * Finds the language for a BCP 47 tag such as {@code ko}, {@code ko-KR} or {@code en-US}.
   *
   * @param tag the tag to read
   * @return the language
   * @throws UnsupportedLanguageException when the tag names a language that cannot be spoken
   */
  public static Language forTag(String tag) {
    String primary = tag.strip().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
    for (Language language : values()) {
      if (language.tag.equals(primary)) {
        return language;
      }
    }
    throw new UnsupportedLanguageException(tag);
  }
}
