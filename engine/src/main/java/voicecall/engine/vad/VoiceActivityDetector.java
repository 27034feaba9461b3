package voicecall.engine.vad;

import reactor.core.scheduler.Scheduler;

/** Opens per-stream {@link VoiceActivity} scorers and names the scheduler they must run on. */
public interface VoiceActivityDetector {

  /**
   * A scorer with fresh state for one audio stream.
   *
   * @param sampleRate the stream's rate, 8000 or 16000
   * @return the scorer; close it when the stream ends
   * @throws IllegalArgumentException for other rates
   */
  VoiceActivity open(int sampleRate);

  /**
   * The bounded scheduler inference runs on, never an event loop.
   *
   * @return the scheduler
   */
  Scheduler scheduler();
}
