package voicecall.tts.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes RIFF/WAVE files holding 16-bit PCM. Reading accepts mono or stereo (stereo is
 * mixed down) and a data chunk whose declared size is missing or too large, as streaming writers
 * such as espeak-ng produce it.
 */
public final class Wav {

  private static final int HEADER_BYTES = 44;

  private Wav() {}

  /**
   * Decodes a WAV file.
   *
   * @param wav the file's bytes
   * @return the audio
   * @throws IllegalArgumentException when the bytes are not a 16-bit PCM WAV file
   */
  public static PcmAudio decode(byte[] wav) {
    if (wav.length < 12 || !ascii(wav, 0, "RIFF") || !ascii(wav, 8, "WAVE")) {
      throw new IllegalArgumentException(
          "not a WAV file (" + wav.length + " bytes, no RIFF/WAVE header)");
    }
    ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int position = 12;
    int channels = 0;
    int sampleRate = 0;
    while (position + 8 <= wav.length) {
      int size = in.getInt(position + 4);
      int body = position + 8;
      if (ascii(wav, position, "fmt ")) {
        if (size < 16 || body + 16 > wav.length) {
          throw new IllegalArgumentException("WAV fmt chunk is truncated");
        }
        int format = in.getShort(body) & 0xffff;
        channels = in.getShort(body + 2);
        sampleRate = in.getInt(body + 4);
        int bits = in.getShort(body + 14);
        if ((format != 1 && format != 0xfffe) || bits != 16 || channels < 1 || channels > 2) {
          throw new IllegalArgumentException(
              "unsupported WAV: format "
                  + format
                  + ", "
                  + bits
                  + " bits, "
                  + channels
                  + " channels (need 16-bit PCM, mono or stereo)");
        }
      } else if (ascii(wav, position, "data")) {
        if (sampleRate == 0) {
          throw new IllegalArgumentException("WAV data chunk before fmt chunk");
        }
        int available = wav.length - body;
        int length = size <= 0 || size > available ? available : size;
        length -= length % (2 * channels);
        PcmAudio audio = PcmAudio.fromBytes(wav, body, length, sampleRate, false);
        return channels == 1 ? audio : mixDown(audio);
      }
      if (size < 0 || body + (long) size > wav.length) {
        break;
      }
      position = body + size + (size & 1);
    }
    throw new IllegalArgumentException("WAV file has no data chunk");
  }

  /**
   * Encodes mono 16-bit PCM as a WAV file.
   *
   * @param audio the audio
   * @return the file's bytes
   */
  public static byte[] encode(PcmAudio audio) {
    byte[] data = audio.toLittleEndian();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length);
    out.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    out.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    out.putShort((short) 1).putShort((short) 1).putInt(audio.sampleRate());
    out.putInt(audio.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
    out.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    return out.array();
  }

  private static PcmAudio mixDown(PcmAudio stereo) {
    short[] interleaved = stereo.unsafeSamples();
    short[] mono = new short[interleaved.length / 2];
    for (int i = 0; i < mono.length; i++) {
      mono[i] = (short) ((interleaved[2 * i] + interleaved[2 * i + 1]) / 2);
    }
    return PcmAudio.owning(mono, stereo.sampleRate());
  }

  private static boolean ascii(byte[] bytes, int at, String text) {
    if (at + text.length() > bytes.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (bytes[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
