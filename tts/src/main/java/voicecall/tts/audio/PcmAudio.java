package voicecall.tts.audio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Immutable 16-bit signed mono PCM audio with its sample rate. Arrays passed in or handed out are
 * copied, so a value can be shared between calls and cached safely.
 */
public final class PcmAudio {

  private static final double FULL_SCALE = 32768.0;
  private static final int TRIM_WINDOW_MS = 10;

  private final short[] samples;
  private final int sampleRate;

  private PcmAudio(short[] samples, int sampleRate) {
    if (sampleRate < 1000 || sampleRate > 192_000) {
      throw new IllegalArgumentException(
          "sample rate must be between 1000 and 192000 Hz, was " + sampleRate);
    }
    this.samples = samples;
    this.sampleRate = sampleRate;
  }

  /**
   * Audio from samples (copied).
   *
   * @param samples 16-bit samples
   * @param sampleRate samples per second, 1000 to 192000
   * @return the audio
   */
  public static PcmAudio of(short[] samples, int sampleRate) {
    return new PcmAudio(samples.clone(), sampleRate);
  }

  /** Audio that takes ownership of the array; only for arrays nobody else holds. */
  static PcmAudio owning(short[] samples, int sampleRate) {
    return new PcmAudio(samples, sampleRate);
  }

  /**
   * Audio from little-endian 16-bit bytes, the layout of WAV files and of telephony slin.
   *
   * @param pcm the bytes; an odd trailing byte is an error
   * @param sampleRate samples per second
   * @return the audio
   */
  public static PcmAudio fromLittleEndian(byte[] pcm, int sampleRate) {
    return fromBytes(pcm, 0, pcm.length, sampleRate, false);
  }

  /**
   * Audio from 16-bit bytes in either byte order.
   *
   * @param pcm the bytes
   * @param offset where the samples start
   * @param length how many bytes, even
   * @param sampleRate samples per second
   * @param bigEndian whether the high byte comes first
   * @return the audio
   */
  public static PcmAudio fromBytes(
      byte[] pcm, int offset, int length, int sampleRate, boolean bigEndian) {
    if (length % 2 != 0) {
      throw new IllegalArgumentException("16-bit PCM needs an even number of bytes, got " + length);
    }
    short[] samples = new short[length / 2];
    for (int i = 0; i < samples.length; i++) {
      int a = pcm[offset + 2 * i] & 0xff;
      int b = pcm[offset + 2 * i + 1] & 0xff;
      samples[i] = (short) (bigEndian ? (a << 8) | b : (b << 8) | a);
    }
    return new PcmAudio(samples, sampleRate);
  }

  /**
   * Silence of a given length.
   *
   * @param duration how long
   * @param sampleRate samples per second
   * @return the audio
   */
  public static PcmAudio silence(Duration duration, int sampleRate) {
    return new PcmAudio(new short[samplesFor(duration, sampleRate)], sampleRate);
  }

  /**
   * Samples per second.
   *
   * @return the sample rate in Hz
   */
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * Number of samples.
   *
   * @return the length in samples
   */
  public int length() {
    return samples.length;
  }

  /**
   * One sample.
   *
   * @param index from 0 to {@link #length()} - 1
   * @return the sample
   */
  public short sample(int index) {
    return samples[index];
  }

  /**
   * A copy of the samples.
   *
   * @return the samples
   */
  public short[] samples() {
    return samples.clone();
  }

  /** The samples without a copy, for this package's signal processing only. */
  short[] unsafeSamples() {
    return samples;
  }

  /**
   * How long the audio plays.
   *
   * @return the duration
   */
  public Duration duration() {
    return Duration.ofNanos(samples.length * 1_000_000_000L / sampleRate);
  }

  /**
   * Size of the samples in bytes (2 per sample), the weight used by caches.
   *
   * @return the size in bytes
   */
  public int sizeInBytes() {
    return samples.length * 2;
  }

  /**
   * The samples as little-endian 16-bit bytes.
   *
   * @return a new byte array
   */
  public byte[] toLittleEndian() {
    byte[] out = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      out[2 * i] = (byte) samples[i];
      out[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return out;
  }

  /**
   * Root-mean-square level relative to full scale, in dB (silence gives -infinity).
   *
   * @return the level in dBFS
   */
  public double rmsDbfs() {
    return rmsDbfs(samples, 0, samples.length);
  }

  /**
   * This audio followed by another at the same rate.
   *
   * @param next the audio to append
   * @return the joined audio
   */
  public PcmAudio append(PcmAudio next) {
    if (next.sampleRate != sampleRate) {
      throw new IllegalArgumentException(
          "cannot join " + sampleRate + " Hz and " + next.sampleRate + " Hz audio");
    }
    short[] joined = Arrays.copyOf(samples, samples.length + next.samples.length);
    System.arraycopy(next.samples, 0, joined, samples.length, next.samples.length);
    return new PcmAudio(joined, sampleRate);
  }

  /**
   * This audio at another sample rate, band-limited (see {@link Resampler}).
   *
   * @param targetRate the new rate
   * @return the resampled audio, or this when the rate already matches
   */
  public PcmAudio resampleTo(int targetRate) {
    return targetRate == sampleRate ? this : Resampler.of(sampleRate, targetRate).resample(this);
  }

  /**
   * Removes leading and trailing silence, keeping a short margin so words are not clipped. Level is
   * measured in 10 ms windows.
   *
   * @param thresholdDbfs windows quieter than this are silence, e.g. -50
   * @param margin how much of the silence to keep on each side
   * @return the trimmed audio; empty audio when all of it is silence
   */
  public PcmAudio trimSilence(double thresholdDbfs, Duration margin) {
    int window = Math.max(1, sampleRate * TRIM_WINDOW_MS / 1000);
    int first = -1;
    int last = -1;
    for (int start = 0; start < samples.length; start += window) {
      int end = Math.min(samples.length, start + window);
      if (rmsDbfs(samples, start, end) > thresholdDbfs) {
        if (first < 0) {
          first = start;
        }
        last = end;
      }
    }
    if (first < 0) {
      return new PcmAudio(new short[0], sampleRate);
    }
    int keep = samplesFor(margin, sampleRate);
    int from = Math.max(0, first - keep);
    int to = Math.min(samples.length, last + keep);
    if (from == 0 && to == samples.length) {
      return this;
    }
    return new PcmAudio(Arrays.copyOfRange(samples, from, to), sampleRate);
  }

  /**
   * Cuts the audio into frames of equal length, the last padded with silence, for a frame clock.
   *
   * @param frame frame length, e.g. 20 ms; must be a whole number of samples
   * @return the frames in order, immutable
   */
  public List<PcmAudio> frames(Duration frame) {
    long exact = frame.toNanos() * sampleRate;
    if (exact % 1_000_000_000L != 0 || exact <= 0) {
      throw new IllegalArgumentException(
          "frame " + frame + " is not a whole number of samples at " + sampleRate + " Hz");
    }
    int size = (int) (exact / 1_000_000_000L);
    List<PcmAudio> frames = new ArrayList<>(samples.length / size + 1);
    for (int start = 0; start < samples.length; start += size) {
      short[] frameSamples = new short[size];
      System.arraycopy(samples, start, frameSamples, 0, Math.min(size, samples.length - start));
      frames.add(new PcmAudio(frameSamples, sampleRate));
    }
    return List.copyOf(frames);
  }

  static double rmsDbfs(short[] samples, int from, int to) {
    if (to <= from) {
      return Double.NEGATIVE_INFINITY;
    }
    double sum = 0;
    for (int i = from; i < to; i++) {
      double v = samples[i] / FULL_SCALE;
      sum += v * v;
    }
    return 10 * Math.log10(sum / (to - from));
  }

  private static int samplesFor(Duration duration, int sampleRate) {
    return (int) (duration.toNanos() * sampleRate / 1_000_000_000L);
  }

  /** Equal when the sample rate and every sample are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof PcmAudio
        && ((PcmAudio) other).sampleRate == sampleRate
        && Arrays.equals(((PcmAudio) other).samples, samples);
  }

  /** Hash of the sample rate and samples. */
  @Override
  public int hashCode() {
    return 31 * sampleRate + Arrays.hashCode(samples);
  }

  /** Length and rate, not the samples. */
  @Override
  public String toString() {
    return "PcmAudio[" + samples.length + " samples @ " + sampleRate + " Hz]";
  }
}
