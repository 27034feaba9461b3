package voicecall.tts;

import java.util.Objects;

/**
 * Which voice speaks: a language and a voice name. The name is a logical choice ({@link
 * #DEFAULT_NAME} lets each synthesiser pick its own default voice for the language); a synthesiser
 * that knows the name uses it.
 *
 * @param language the language the text is in
 * @param name the voice name, not blank
 */
public record Voice(Language language, String name) {

  /** The name that lets each synthesiser choose its default voice for the language. */
  public static final String DEFAULT_NAME = "default";

  /** Validates the voice. */
  public Voice {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("voice name is blank");
    }
  }

  /**
   * The default voice of a language.
   *
   * @param language the language
   * @return the default voice
   */
  public static Voice of(Language language) {
    return new Voice(language, DEFAULT_NAME);
  }

  /**
   * Whether this voice lets the synthesiser choose.
   *
   * @return true for the default voice name
   */
  public boolean isDefault() {
    return DEFAULT_NAME.equals(name);
  }
}
