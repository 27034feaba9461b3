package voicecall.engine.stt;

import java.util.function.Consumer;

/**
 * Builds recognisers beyond the local PocketSphinx one: a remote OpenAI-compatible endpoint, a
 * fallback chain, a chain that never fails, and per-utterance measurement.
 */
public final class Recognizers {

  private Recognizers() {}

  /**
   * A remote OpenAI-compatible transcription endpoint ({@code POST
   * <baseUrl>/v1/audio/transcriptions}) over the JDK's asynchronous HTTP client. Its failures are
   * {@link RecognitionException}s.
   *
   * @param config where and how to call it
   * @return the recogniser; {@link Recognizer#close()} makes later sessions fail
   */
  public static Recognizer remote(RemoteRecognizerConfig config) {
    return new RemoteRecognizer(config);
  }

  /**
   * Feeds every utterance to both recognisers at once and takes {@code primary}'s transcript, or
   * {@code fallback}'s when {@code primary} fails or times out. When one cannot open a session, the
   * other serves the call alone.
   *
   * @param primary the preferred recogniser (e.g. remote)
   * @param fallback the recogniser used when it fails (e.g. local PocketSphinx)
   * @return the chain; closing it closes both
   */
  public static Recognizer withFallback(Recognizer primary, Recognizer fallback) {
    return new FallbackRecognizer(primary, fallback);
  }

  /**
   * A recogniser whose failed utterances come out as empty transcripts (logged), so a dialogue
   * answers "please say that again" instead of failing the call. Opening a session can still fail.
   *
   * @param recognizer the recogniser
   * @return the wrapper; closing it closes {@code recognizer}
   */
  public static Recognizer emptyOnFailure(Recognizer recognizer) {
    return new EmptyOnFailureRecognizer(recognizer);
  }

  /**
   * A recogniser that reports a {@link RecognitionRecord} for every utterance it finishes or fails
   * (not for a cancelled one).
   *
   * @param recognizer the recogniser
   * @param engine its name in the records, e.g. {@code remote}
   * @param records where the records go; called on the recogniser's thread, must not block
   * @return the wrapper; closing it closes {@code recognizer}
   */
  public static Recognizer measured(
      Recognizer recognizer, String engine, Consumer<RecognitionRecord> records) {
    return new MeasuredRecognizer(recognizer, engine, records);
  }
}
