package voicecall.engine.audio;

/**
 * How audio travels on a telephony leg: signed 16-bit little-endian linear PCM ("slin") at 8 or 16
 * kHz, or G.711 µ-law at 8 kHz (the edge case a channel without an explicit codec sends).
 */
public enum WireFormat {
  /** Signed 16-bit little-endian PCM at 8 kHz: AudioSocket's kind {@code 0x10}. */
  SLIN_8K(8000, 2),
  /** Signed 16-bit little-endian PCM at 16 kHz. */
  SLIN_16K(16000, 2),
  /** G.711 µ-law at 8 kHz, one byte per sample. */
  ULAW_8K(8000, 1);

  private final int sampleRate;
  private final int bytesPerSample;

  WireFormat(int sampleRate, int bytesPerSample) {
    this.sampleRate = sampleRate;
    this.bytesPerSample = bytesPerSample;
  }

  /** Returns samples per second. */
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * The payload size of a duration.
   *
   * @param millis a duration in milliseconds
   * @return how many payload bytes that duration takes in this format
   */
  public int bytesFor(int millis) {
    return sampleRate * millis / 1000 * bytesPerSample;
  }

  /**
   * Decodes a payload into a frame.
   *
   * @param payload the bytes as they came off the wire; any length that holds whole samples
   * @param timestampMillis the frame's timestamp
   * @return the frame
   * @throws IllegalArgumentException when the payload does not hold whole samples
   */
  public AudioFrame decode(byte[] payload, long timestampMillis) {
    if (payload.length % bytesPerSample != 0) {
      throw new IllegalArgumentException(
          name() + " payload of " + payload.length + " bytes does not hold whole samples");
    }
    short[] samples = new short[payload.length / bytesPerSample];
    if (bytesPerSample == 1) {
      for (int i = 0; i < samples.length; i++) {
        samples[i] = MuLaw.decode(payload[i]);
      }
    } else {
      for (int i = 0; i < samples.length; i++) {
        samples[i] = (short) ((payload[2 * i] & 0xFF) | (payload[2 * i + 1] << 8));
      }
    }
    return AudioFrame.wrap(samples, sampleRate, timestampMillis);
  }

  /**
   * Encodes a frame.
   *
   * @param frame audio at this format's sample rate
   * @return the payload bytes
   * @throws IllegalArgumentException when the frame has another sample rate (resample first)
   */
  public byte[] encode(AudioFrame frame) {
    if (frame.sampleRate() != sampleRate) {
      throw new IllegalArgumentException(
          name() + " needs " + sampleRate + " Hz audio, got " + frame.sampleRate() + " Hz");
    }
    int n = frame.sampleCount();
    byte[] out = new byte[n * bytesPerSample];
    if (bytesPerSample == 1) {
      for (int i = 0; i < n; i++) {
        out[i] = MuLaw.encode(frame.sample(i));
      }
    } else {
      for (int i = 0; i < n; i++) {
        short s = frame.sample(i);
        out[2 * i] = (byte) s;
        out[2 * i + 1] = (byte) (s >> 8);
      }
    }
    return out;
  }
}
