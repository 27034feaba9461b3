package voicecall.engine.stt;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/**
 * One call's recognition: one decoder, used by one thread at a time, for the utterances of that
 * call in turn. An error ends this session only.
 */
public interface RecognitionSession extends AutoCloseable {

  /**
   * Recognises one utterance. Frames are decoded as they arrive (8 or 16 kHz, all at one rate), so
   * when {@code utterance} completes, at the end of speech, only finalisation remains.
   *
   * @param utterance the caller's audio, completing at the end of speech
   * @return the transcript, emitted after {@code utterance} completes; an error when another
   *     utterance of this session is still being recognised, the session is closed or broken, or a
   *     frame has an unsupported or changing rate
   */
  Mono<Transcript> recognize(Flux<PcmAudio> utterance);

  /** Returns the decoder to the pool (or frees it after an error). Idempotent. */
  @Override
  void close();
}
