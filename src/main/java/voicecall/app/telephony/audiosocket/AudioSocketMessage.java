package voicecall.app.telephony.audiosocket;

import java.util.UUID;

/**
 * One AudioSocket message, as the codec reads and writes it: 1 byte kind, 2 bytes big-endian
 * payload length, payload. Only {@link Audio} and {@link Hangup} may go from the engine to
 * Asterisk; the others are what Asterisk (or our test caller) sends.
 */
public sealed interface AudioSocketMessage {

  /** Kind byte of the hang-up message. */
  int KIND_HANGUP = 0x00;

  /** Kind byte of the id message. */
  int KIND_ID = 0x01;

  /** Kind byte of a DTMF key. */
  int KIND_DTMF = 0x03;

  /** Kind byte of 8 kHz slin audio; Asterisk 22 adds 0x11..0x18 for other rates. */
  int KIND_AUDIO_8K = 0x10;

  /** Kind byte of an error report. */
  int KIND_ERROR = 0xFF;

  /**
   * The call's UUID; always the first message on a connection.
   *
   * @param id the UUID that joins this socket to an AGI session or ARI channel
   */
  record Id(UUID id) implements AudioSocketMessage {}

  /**
   * Signed 16-bit little-endian mono PCM.
   *
   * @param sampleRate the rate the message kind names
   * @param pcm the payload (whole samples)
   */
  // The payload is handed over, not copied, on the per-frame hot path; nobody mutates it.
  @SuppressWarnings("ArrayRecordComponent")
  record Audio(int sampleRate, byte[] pcm) implements AudioSocketMessage {

    /** Rejects a rate the protocol has no kind for and payloads that hold half a sample. */
    public Audio {
      AudioKinds.kindOf(sampleRate);
      if (pcm.length % 2 != 0) {
        throw new IllegalArgumentException("audio payload of " + pcm.length + " bytes is odd");
      }
    }
  }

  /**
   * A DTMF key the caller pressed.
   *
   * @param key one of {@code 0-9 * # A-D}
   */
  record Dtmf(char key) implements AudioSocketMessage {}

  /** The call is over (the engine sends it; Asterisk usually just closes the socket). */
  record Hangup() implements AudioSocketMessage {}

  /**
   * Asterisk reports an error.
   *
   * @param code the optional payload, often one error-code byte
   */
  @SuppressWarnings("ArrayRecordComponent") // a rare diagnostic payload, only logged
  record ErrorReport(byte[] code) implements AudioSocketMessage {}
}
