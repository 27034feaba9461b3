package voicecall.app.recognition;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * An uploaded recording, checked before any recogniser sees it: a RIFF/WAVE file of 16-bit PCM,
 * mono, 8 or 16 kHz, with audio, no longer than the limit.
 */
final class Recording {

  private Recording() {}

  /**
   * Checks and decodes a WAV upload.
   *
   * @param wav the request body
   * @param maxAudio the longest recording accepted
   * @return the audio
   * @throws BadRecording 400 for a file that is not such a WAV, 413 for one that is too long
   */
  static PcmAudio decode(byte[] wav, Duration maxAudio) {
    if (wav.length < 12 || !ascii(wav, 0, "RIFF") || !ascii(wav, 8, "WAVE")) {
      throw new BadRecording(
          HttpStatus.BAD_REQUEST, "the body is not a WAV file (no RIFF/WAVE header)");
    }
    ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int position = 12;
    while (position + 8 <= wav.length) {
      int size = in.getInt(position + 4);
      if (ascii(wav, position, "fmt ")) {
        if (size < 16 || position + 8 + 16 > wav.length) {
          throw new BadRecording(HttpStatus.BAD_REQUEST, "the WAV fmt chunk is truncated");
        }
        check(in, position + 8);
        break;
      }
      if (size < 0 || position + 8L + size > wav.length) {
        break;
      }
      position += 8 + size + (size & 1);
    }
    if (position + 8 > wav.length || !ascii(wav, position, "fmt ")) {
      throw new BadRecording(HttpStatus.BAD_REQUEST, "the WAV file has no fmt chunk");
    }
    PcmAudio audio;
    try {
      audio = Wav.decode(wav);
    } catch (IllegalArgumentException e) {
      throw new BadRecording(HttpStatus.BAD_REQUEST, "unreadable WAV: " + e.getMessage());
    }
    if (audio.length() == 0) {
      throw new BadRecording(HttpStatus.BAD_REQUEST, "the WAV file holds no audio");
    }
    if (audio.duration().compareTo(maxAudio) > 0) {
      throw new BadRecording(
          HttpStatus.CONTENT_TOO_LARGE,
          "the recording is "
              + audio.duration().toMillis()
              + " ms long, at most "
              + maxAudio.toMillis()
              + " ms is accepted");
    }
    return audio;
  }

  private static void check(ByteBuffer in, int fmt) {
    int format = in.getShort(fmt) & 0xffff;
    int channels = in.getShort(fmt + 2);
    int rate = in.getInt(fmt + 4);
    int bits = in.getShort(fmt + 14);
    if (format != 1) {
      throw new BadRecording(
          HttpStatus.BAD_REQUEST,
          "the WAV format is " + format + "; only uncompressed PCM (1) is accepted");
    }
    if (bits != 16) {
      throw new BadRecording(
          HttpStatus.BAD_REQUEST, "the WAV has " + bits + "-bit samples; 16-bit is needed");
    }
    if (channels != 1) {
      throw new BadRecording(
          HttpStatus.BAD_REQUEST, "the WAV has " + channels + " channels; mono is needed");
    }
    if (rate != 8000 && rate != 16000) {
      throw new BadRecording(
          HttpStatus.BAD_REQUEST,
          "the WAV is at " + rate + " Hz; 8000 Hz (telephone) or 16000 Hz is needed");
    }
  }

  private static boolean ascii(byte[] bytes, int at, String text) {
    return at + text.length() <= bytes.length
        && new String(bytes, at, text.length(), StandardCharsets.US_ASCII).equals(text);
  }

  /** A recording that cannot be recognised, with the HTTP status it answers. */
  static final class BadRecording extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final HttpStatus status;

    BadRecording(HttpStatus status, String message) {
      super(message);
      this.status = status;
    }

    HttpStatus status() {
      return status;
    }
  }
}
