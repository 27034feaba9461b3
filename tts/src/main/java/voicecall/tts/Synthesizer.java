package voicecall.tts;

import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/**
 * Turns one sentence of spoken-form text (see {@link SpeechText}) into audio. Implementations never
 * block the subscribing thread: blocking engines run on their own bounded scheduler. Build them
 * with {@link Synthesizers}.
 */
public interface Synthesizer extends AutoCloseable {

  /**
   * A short name for logs and errors, e.g. {@code freetts}.
   *
   * @return the name
   */
  String name();

  /**
   * Whether this synthesiser can speak a language right now (an engine that is not installed speaks
   * nothing).
   *
   * @param language the language
   * @return true when {@link #synthesize} may succeed for it
   */
  boolean supports(Language language);

  /**
   * Synthesises one sentence. Cancelling the returned {@code Mono} stops the work where the engine
   * allows it.
   *
   * @param text spoken-form text, not blank
   * @param voice the voice and language
   * @return the audio at the engine's own sample rate; an error when the engine fails
   */
  Mono<PcmAudio> synthesize(String text, Voice voice);

  /**
   * Prepares the engine so the first call is not slow (FreeTTS loads a voice into each worker,
   * about half a second each). Call it once at start-up, off the event loop; it completes when the
   * engine is ready. Engines with nothing to prepare complete at once.
   *
   * @return completion, or an error when the engine cannot start
   */
  default Mono<Void> warmUp() {
    return Mono.empty();
  }

  /** Releases threads and processes held by this synthesiser. */
  @Override
  default void close() {}
}
