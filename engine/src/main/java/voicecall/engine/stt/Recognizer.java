package voicecall.engine.stt;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/** A speech recogniser that opens one {@link RecognitionSession} per call. */
public interface Recognizer extends AutoCloseable {

  /**
   * Opens a session for one call. The session holds a decoder until it is closed.
   *
   * @return the session, on the recogniser's scheduler; an error when the recogniser is at capacity
   *     or closed
   */
  Mono<RecognitionSession> open();

  /**
   * Recognises one complete recording in a session of its own: the path of a single request, such
   * as the REST endpoint, rather than of a call.
   *
   * @param audio the recording, 8 or 16 kHz mono
   * @return the transcript; the recogniser's error when it fails
   */
  default Mono<Transcript> recognize(PcmAudio audio) {
    return Mono.usingWhen(
        open(), s -> s.recognize(Flux.just(audio)), s -> Mono.fromRunnable(s::close));
  }

  /** Frees every decoder; open sessions fail from then on. */
  @Override
  void close();
}
