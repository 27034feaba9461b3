package voicecall.tts;

/** Thrown when text in a language that no part of the speech output can speak is requested. */
public final class UnsupportedLanguageException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param tag the language tag that was asked for
   */
  public UnsupportedLanguageException(String tag) {
    super("unsupported language '" + tag + "': supported are ko (Korean) and en (English)");
  }
}
