package voicecall.engine.vad;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Silero VAD v5 on onnxruntime: one model session shared by every stream (onnxruntime runs a
 * session from many threads at once), recurrent state and context per stream, inference on a
 * bounded scheduler of named daemon threads ({@code vad-*}).
 *
 * <p>Windows are 32 ms: 256 samples at 8 kHz, 512 at 16 kHz. Each run is given the last 32 (8 kHz)
 * or 64 (16 kHz) samples of the previous window in front of the new one, as the v5 model expects;
 * without that context its scores on speech at 8 kHz mostly stay below 0.5.
 *
 * <p>Creating an instance loads the 2.3 MB model (about a hundred milliseconds): do it once, at
 * start-up, off any event loop.
 */
public final class SileroVad implements VoiceActivityDetector, AutoCloseable {

  static final String MODEL_RESOURCE = "/voicecall/engine/vad/silero_vad_v5.onnx";

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Scheduler scheduler;

  private SileroVad(OrtEnvironment environment, OrtSession session, Scheduler scheduler) {
    this.environment = environment;
    this.session = session;
    this.scheduler = scheduler;
  }

  /**
   * The bundled model with one inference thread per available core.
   *
   * @return the detector; close it at shutdown
   * @throws VadException when the model cannot be loaded
   */
  public static SileroVad create() {
    return create(Runtime.getRuntime().availableProcessors());
  }

  /**
   * The bundled model with a given number of inference threads.
   *
   * @param threads size of the {@code vad} scheduler, at least 1
   * @return the detector; close it at shutdown
   * @throws VadException when the model cannot be loaded
   */
  public static SileroVad create(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("VAD needs at least one thread, got " + threads);
    }
    byte[] model;
    try (InputStream in = SileroVad.class.getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("model resource " + MODEL_RESOURCE + " is missing");
      }
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new VadException("cannot read " + MODEL_RESOURCE, e);
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // One thread per run: parallelism comes from many streams on the scheduler, and a
      // 32 ms window is far too small to split across threads.
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      OrtSession session = environment.createSession(model, options);
      return new SileroVad(
          environment, session, Schedulers.newParallel("vad", threads, /* daemon */ true));
    } catch (OrtException e) {
      throw new VadException("cannot load the Silero VAD model " + MODEL_RESOURCE, e);
    }
  }

  /**
   * Window length for a sample rate.
   *
   * @param sampleRate 8000 or 16000
   * @return 256 or 512 samples (32 ms)
   * @throws IllegalArgumentException for other rates
   */
  public static int windowSamples(int sampleRate) {
    if (sampleRate == 8000) {
      return 256;
    }
    if (sampleRate == 16000) {
      return 512;
    }
    throw new IllegalArgumentException(
        "Silero VAD takes 8000 or 16000 Hz audio, got " + sampleRate + " Hz (resample first)");
  }

  @Override
  public VoiceActivity open(int sampleRate) {
    int window = windowSamples(sampleRate);
    try {
      return new SileroStream(environment, session, sampleRate, window, window / 8);
    } catch (OrtException e) {
      throw new VadException("cannot allocate VAD state for a " + sampleRate + " Hz stream", e);
    }
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  /** Stops the scheduler and releases the model. Streams still open fail afterwards. */
  @Override
  public void close() {
    scheduler.dispose();
    try {
      session.close();
    } catch (OrtException e) {
      throw new VadException("cannot close the VAD session", e);
    }
  }
}
