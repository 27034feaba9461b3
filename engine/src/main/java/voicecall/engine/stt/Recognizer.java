package voicecall.engine.stt;

import reactor.core.publisher.Mono;

/** A speech recogniser that opens one {@link RecognitionSession} per call. */
public interface Recognizer extends AutoCloseable {

  /**
   * Opens a session for one call. The session holds a decoder until it is closed.
   *
   * @return the session, on the recogniser's scheduler; an error when the recogniser is at capacity
   *     or closed
   */
  Mono<RecognitionSession> open();

  /** Frees every decoder; open sessions fail from then on. */
  @Override
  void close();
}
