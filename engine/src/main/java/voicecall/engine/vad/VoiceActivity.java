package voicecall.engine.vad;

/**
 * One audio stream's voice activity scorer. It keeps the model's recurrent state between windows,
 * so windows must be given in order, and one instance belongs to one stream. Not thread-safe: use
 * it from one thread at a time (a {@code publishOn} stage guarantees that).
 */
public interface VoiceActivity extends AutoCloseable {

  /**
   * Samples per second of the audio this scorer accepts.
   *
   * @return 8000 or 16000
   */
  int sampleRate();

  /**
   * Samples in one window.
   *
   * @return the window length in samples
   */
  int windowSamples();

  /**
   * Scores the next window of the stream.
   *
   * @param window exactly {@link #windowSamples()} 16-bit samples
   * @return probability that the window holds speech, 0 to 1
   * @throws IllegalArgumentException when the window has the wrong length
   * @throws IllegalStateException after {@link #close()}
   * @throws VadException when inference fails
   */
  float speechProbability(short[] window);

  /** Releases the stream's native buffers; later calls to score fail. Idempotent. */
  @Override
  void close();
}
