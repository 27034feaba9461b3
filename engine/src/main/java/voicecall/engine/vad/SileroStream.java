package voicecall.engine.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One stream's state for the shared Silero session. The input and state tensors wrap direct buffers
 * owned by this stream, so a run copies nothing in and the buffers are rewritten in place. Methods
 * are synchronized only so that a close racing an in-flight run (a cancel from another thread)
 * waits for the run instead of freeing memory under it; uncontended otherwise.
 */
final class SileroStream implements VoiceActivity {

  private static final int STATE_SIZE = 2 * 128;

  private final OrtSession session;
  private final int sampleRate;
  private final int window;
  private final int context;
  private final FloatBuffer input;
  private final FloatBuffer state;
  private final OnnxTensor inputTensor;
  private final OnnxTensor stateTensor;
  private final OnnxTensor rateTensor;
  private final Map<String, OnnxTensor> inputs;
  private boolean closed;

  SileroStream(
      OrtEnvironment environment, OrtSession session, int sampleRate, int window, int context)
      throws OrtException {
    this.session = session;
    this.sampleRate = sampleRate;
    this.window = window;
    this.context = context;
    this.input = directFloats(context + window);
    this.state = directFloats(STATE_SIZE);
    this.inputTensor =
        OnnxTensor.createTensor(environment, input, new long[] {1, context + window});
    this.stateTensor = OnnxTensor.createTensor(environment, state, new long[] {2, 1, 128});
    this.rateTensor = OnnxTensor.createTensor(environment, (long) sampleRate);
    this.inputs = Map.of("input", inputTensor, "state", stateTensor, "sr", rateTensor);
  }

  private static FloatBuffer directFloats(int count) {
    return ByteBuffer.allocateDirect(count * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int windowSamples() {
    return window;
  }

  @Override
  public synchronized float speechProbability(short[] samples) {
    if (closed) {
      throw new IllegalStateException("VAD stream is closed");
    }
    if (samples.length != window) {
      throw new IllegalArgumentException(
          "VAD window at " + sampleRate + " Hz is " + window + " samples, got " + samples.length);
    }
    for (int i = 0; i < window; i++) {
      input.put(context + i, samples[i] / 32768f);
    }
    float probability;
    try (OrtSession.Result result = session.run(inputs)) {
      probability = ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
      FloatBuffer next = ((OnnxTensor) result.get(1)).getFloatBuffer();
      for (int i = 0; i < STATE_SIZE; i++) {
        state.put(i, next.get(i));
      }
    } catch (OrtException e) {
      throw new VadException("VAD inference failed on a " + sampleRate + " Hz window", e);
    }
    // the end of this window is the next window's context
    for (int i = 0; i < context; i++) {
      input.put(i, input.get(window + i));
    }
    return probability;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      inputTensor.close();
      stateTensor.close();
      rateTensor.close();
    }
  }
}
