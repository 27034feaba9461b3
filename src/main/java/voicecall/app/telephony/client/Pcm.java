package voicecall.app.telephony.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Mono 16-bit PCM a caller sends: read from a WAV file's bytes or from raw little-endian slin.
 *
 * @param sampleRate samples per second
 * @param samples the samples
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out, so it stays immutable
public record Pcm(int sampleRate, short[] samples) {

  /** Rejects rates a call cannot run at. */
  public Pcm {
    if (sampleRate != 8000 && sampleRate != 16000) {
      throw new IllegalArgumentException("a caller sends 8000 or 16000 Hz, not " + sampleRate);
    }
    samples = samples.clone();
  }

  /**
   * Silence.
   *
   * @param sampleRate samples per second
   * @param millis how long
   * @return that much digital silence
   */
  public static Pcm silence(int sampleRate, int millis) {
    return new Pcm(sampleRate, new short[sampleRate * millis / 1000]);
  }

  /**
   * Raw signed 16-bit little-endian samples (a {@code .sln} / {@code .raw} file).
   *
   * @param sampleRate the rate the bytes were recorded at
   * @param bytes the file's bytes
   * @return the samples
   * @throws IllegalArgumentException when the length is odd
   */
  public static Pcm fromSlin(int sampleRate, byte[] bytes) {
    if (bytes.length % 2 != 0) {
      throw new IllegalArgumentException("raw slin of " + bytes.length + " bytes is odd");
    }
    short[] s = new short[bytes.length / 2];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
    return new Pcm(sampleRate, s);
  }

  /**
   * A RIFF/WAVE file holding 16-bit mono PCM at 8 or 16 kHz.
   *
   * @param bytes the whole file
   * @return its samples
   * @throws IllegalArgumentException naming what is wrong when the file is anything else
   */
  public static Pcm fromWav(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IllegalArgumentException("not a RIFF/WAVE file");
    }
    int pos = 12;
    int rate = 0;
    boolean format = false;
    while (pos + 8 <= bytes.length) {
      int id = b.getInt(pos);
      long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
      int body = pos + 8;
      if (size > bytes.length - body) {
        throw new IllegalArgumentException("WAV chunk at byte " + pos + " runs past the end");
      }
      if (id == 0x20746d66) { // "fmt "
        int codec = b.getShort(body) & 0xFFFF;
        int channels = b.getShort(body + 2);
        rate = b.getInt(body + 4);
        int bits = b.getShort(body + 14);
        if (codec != 1 || channels != 1 || bits != 16) {
          throw new IllegalArgumentException(
              "WAV must be 16-bit mono PCM, is codec "
                  + codec
                  + ", "
                  + channels
                  + " channels, "
                  + bits
                  + " bits");
        }
        format = true;
      } else if (id == 0x61746164) { // "data"
        if (!format) {
          throw new IllegalArgumentException("WAV data chunk comes before its fmt chunk");
        }
        byte[] data = new byte[(int) size & ~1];
        System.arraycopy(bytes, body, data, 0, data.length);
        return fromSlin(rate, data);
      }
      pos = body + (int) size + (int) (size & 1);
    }
    throw new IllegalArgumentException("WAV file has no data chunk");
  }

  /** Returns a copy of the samples. */
  @Override
  public short[] samples() {
    return samples.clone();
  }
}
