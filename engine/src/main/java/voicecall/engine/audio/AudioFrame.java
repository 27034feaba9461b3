package voicecall.engine.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A piece of 16-bit signed mono PCM audio with its sample rate and a timestamp. Immutable: the
 * samples are copied in and only copies go out, so a frame can be shared between threads and calls
 * (the frame clock reuses one silence frame for every call).
 */
public final class AudioFrame {

  private final short[] samples;
  private final int sampleRate;
  private final long timestampMillis;

  private AudioFrame(short[] samples, int sampleRate, long timestampMillis) {
    if (sampleRate < 4000 || sampleRate > 192_000) {
      throw new IllegalArgumentException("sample rate must be 4000..192000 Hz, was " + sampleRate);
    }
    if (timestampMillis < 0) {
      throw new IllegalArgumentException("timestamp must not be negative, was " + timestampMillis);
    }
    this.samples = samples;
    this.sampleRate = sampleRate;
    this.timestampMillis = timestampMillis;
  }

  /**
   * A frame holding a copy of the given samples.
   *
   * @param samples 16-bit signed PCM samples (copied)
   * @param sampleRate samples per second, 4000..192000
   * @param timestampMillis when the frame starts, in milliseconds on the call's timeline
   * @return the frame
   */
  public static AudioFrame of(short[] samples, int sampleRate, long timestampMillis) {
    return new AudioFrame(samples.clone(), sampleRate, timestampMillis);
  }

  /** Wraps an array this package created and will not touch again (no copy). */
  static AudioFrame wrap(short[] samples, int sampleRate, long timestampMillis) {
    return new AudioFrame(samples, sampleRate, timestampMillis);
  }

  /**
   * A frame of digital silence.
   *
   * @param sampleRate samples per second
   * @param durationMillis length in milliseconds
   * @param timestampMillis when the frame starts
   * @return a silent frame of {@code sampleRate * durationMillis / 1000} samples
   */
  public static AudioFrame silence(int sampleRate, int durationMillis, long timestampMillis) {
    if (durationMillis <= 0) {
      throw new IllegalArgumentException("duration must be positive, was " + durationMillis);
    }
    return new AudioFrame(
        new short[sampleRate * durationMillis / 1000], sampleRate, timestampMillis);
  }

  /**
   * Cuts PCM into consecutive frames of a fixed duration; the last frame is padded with silence so
   * every frame has the same length (what a paced telephony leg needs).
   *
   * @param pcm the samples
   * @param sampleRate samples per second
   * @param frameMillis length of each frame in milliseconds
   * @param startMillis timestamp of the first frame
   * @return the frames, in order; empty when {@code pcm} is empty
   */
  public static List<AudioFrame> split(
      short[] pcm, int sampleRate, int frameMillis, long startMillis) {
    if (frameMillis <= 0) {
      throw new IllegalArgumentException("frame length must be positive, was " + frameMillis);
    }
    int perFrame = sampleRate * frameMillis / 1000;
    if (perFrame == 0) {
      throw new IllegalArgumentException(
          frameMillis + " ms at " + sampleRate + " Hz is less than one sample");
    }
    List<AudioFrame> frames = new ArrayList<>((pcm.length + perFrame - 1) / perFrame);
    for (int from = 0, n = 0; from < pcm.length; from += perFrame, n++) {
      short[] part = Arrays.copyOfRange(pcm, from, from + perFrame);
      frames.add(new AudioFrame(part, sampleRate, startMillis + (long) n * frameMillis));
    }
    return List.copyOf(frames);
  }

  /**
   * This frame cut into frames of a fixed duration, the last one padded with silence.
   *
   * @param frameMillis length of each part in milliseconds
   * @return this frame itself when it already has that length, otherwise its parts
   */
  public List<AudioFrame> split(int frameMillis) {
    if (samples.length == (long) sampleRate * frameMillis / 1000) {
      return List.of(this);
    }
    return split(samples, sampleRate, frameMillis, timestampMillis);
  }

  /** Returns samples per second. */
  public int sampleRate() {
    return sampleRate;
  }

  /** Returns when the frame starts, in milliseconds on the call's timeline. */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** Returns the number of samples. */
  public int sampleCount() {
    return samples.length;
  }

  /**
   * One sample.
   *
   * @param index 0-based position
   * @return the sample
   */
  public short sample(int index) {
    return samples[index];
  }

  /** Returns a copy of the samples. */
  public short[] samples() {
    return samples.clone();
  }

  /** Returns the length in microseconds. */
  public long durationMicros() {
    return samples.length * 1_000_000L / sampleRate;
  }

  /** Returns the largest absolute sample value, 0 for digital silence. */
  public int peak() {
    int peak = 0;
    for (short s : samples) {
      peak = Math.max(peak, Math.abs((int) s));
    }
    return peak;
  }

  /**
   * The same samples on another timestamp.
   *
   * @param newTimestampMillis the timestamp
   * @return a frame sharing this frame's (immutable) samples
   */
  public AudioFrame at(long newTimestampMillis) {
    return new AudioFrame(samples, sampleRate, newTimestampMillis);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AudioFrame other
        && sampleRate == other.sampleRate
        && timestampMillis == other.timestampMillis
        && Arrays.equals(samples, other.samples);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(samples) + sampleRate) + Long.hashCode(timestampMillis);
  }

  @Override
  public String toString() {
    return "AudioFrame["
        + samples.length
        + " samples @"
        + sampleRate
        + " Hz, t="
        + timestampMillis
        + " ms]";
  }
}
