package voicecall.tts.audio;

import java.util.Arrays;

/**
 * Resampling of one audio stream that arrives in pieces (see {@link Resampler#stream()}). Not
 * thread-safe: one stream belongs to one call's audio path at a time.
 */
public final class ResamplingStream {

  private static final short[] NONE = new short[0];

  private final Resampler resampler;
  private short[] buffer = new short[1024];
  private int buffered;
  private long bufferStart;
  private long totalIn;
  private long nextOut;
  private boolean flushed;

  ResamplingStream(Resampler resampler) {
    this.resampler = resampler;
  }

  /**
   * Adds input and returns the output that is now complete.
   *
   * @param samples the next input samples at the resampler's input rate
   * @return output samples at the output rate; may be empty
   * @throws IllegalStateException after {@link #flush()}
   */
  public short[] push(short[] samples) {
    if (flushed) {
      throw new IllegalStateException("resampling stream was flushed; start a new one");
    }
    if (resampler.isIdentity()) {
      totalIn += samples.length;
      return samples.clone();
    }
    append(samples);
    long ready = nextOut;
    while (resampler.lastInputNeeded(ready) < totalIn) {
      ready++;
    }
    short[] out = produce(ready);
    discardConsumed();
    return out;
  }

  /**
   * Ends the stream and returns the rest of the output, as if silence followed.
   *
   * @return the last output samples
   */
  public short[] flush() {
    if (flushed || resampler.isIdentity()) {
      flushed = true;
      return NONE;
    }
    flushed = true;
    return produce(resampler.outputLength(totalIn));
  }

  private short[] produce(long upTo) {
    if (upTo <= nextOut) {
      return NONE;
    }
    short[] out = new short[(int) (upTo - nextOut)];
    for (int i = 0; i < out.length; i++) {
      out[i] = resampler.outputSample(nextOut + i, buffer, bufferStart, totalIn);
    }
    nextOut = upTo;
    return out;
  }

  private void append(short[] samples) {
    if (buffered + samples.length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, buffered + samples.length));
    }
    System.arraycopy(samples, 0, buffer, buffered, samples.length);
    buffered += samples.length;
    totalIn += samples.length;
  }

  private void discardConsumed() {
    long keepFrom = Math.max(bufferStart, resampler.firstInputNeeded(nextOut));
    int drop = (int) Math.min(buffered, keepFrom - bufferStart);
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, buffered - drop);
      buffered -= drop;
      bufferStart += drop;
    }
  }
}
