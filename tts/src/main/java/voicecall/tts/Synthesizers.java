package voicecall.tts;

import java.time.Duration;
import java.util.List;

/** Builds the synthesisers: FreeTTS, espeak-ng, a remote endpoint, and a fallback chain. */
public final class Synthesizers {

  private static final int QUEUE_PER_WORKER = 64;

  private Synthesizers() {}

  /**
   * FreeTTS in process (English, voice {@code kevin16}, 16 kHz), one voice per worker thread.
   *
   * @param workers worker threads (and voices), e.g. the number of cores
   * @return the synthesiser; {@link Synthesizer#close()} stops its threads
   */
  public static Synthesizer freeTts(int workers) {
    return new FreeTtsSynthesizer(workers, workers * QUEUE_PER_WORKER);
  }

  /**
   * espeak-ng (Korean and English, 22.05 kHz), one process per sentence, at most {@code processes}
   * at a time. Checks once, blocking, that the command runs; when it does not, logs how to install
   * it and speaks nothing, so a fallback chain moves on.
   *
   * @param processes concurrent processes, e.g. the number of cores
   * @return the synthesiser
   */
  public static Synthesizer espeakNg(int processes) {
    return espeakNg("espeak-ng", processes);
  }

  /**
   * espeak-ng under another command name or path.
   *
   * @param command the executable
   * @param processes concurrent processes
   * @return the synthesiser
   */
  public static Synthesizer espeakNg(String command, int processes) {
    return new EspeakSynthesizer(command, processes, processes * QUEUE_PER_WORKER);
  }

  /**
   * A remote OpenAI-compatible speech endpoint (any language the server speaks).
   *
   * @param config where and how to call it
   * @return the synthesiser
   */
  public static Synthesizer remote(RemoteSpeechConfig config) {
    return new RemoteSynthesizer(config);
  }

  /**
   * Tries each synthesiser in order, each with the timeout, moving on when one fails, hangs, does
   * not speak the language or returns audio that is not plausible speech for the text.
   *
   * @param timeout how long each attempt may take
   * @param chain the synthesisers, preferred first
   * @return the chain; closing it closes every member
   */
  public static Synthesizer withFallback(Duration timeout, List<Synthesizer> chain) {
    return new FallbackSynthesizer(chain, timeout);
  }
}
