package voicecall.engine.audio;

/**
 * ITU-T G.711 µ-law companding between 16-bit linear PCM and 8-bit codes, through exact lookup
 * tables built once from the standard's segment rule (bias 132, clip at 32635, no zero trap).
 * Decoding gives the 16-bit scaled values telephony software uses (code {@code 0x80} is +32124,
 * {@code 0x00} is -32124, {@code 0xFF} and {@code 0x7F} are 0).
 */
public final class MuLaw {

  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;
  private static final short[] DECODE = new short[256];
  private static final byte[] ENCODE = new byte[65536];

  static {
    for (int code = 0; code < 256; code++) {
      DECODE[code] = (short) decodeByRule(code);
    }
    for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
      ENCODE[pcm & 0xFFFF] = (byte) encodeByRule(pcm);
    }
  }

  private MuLaw() {}

  /**
   * Encodes one sample.
   *
   * @param pcm a 16-bit linear sample
   * @return the µ-law code, 0..255 as a byte
   */
  public static byte encode(short pcm) {
    return ENCODE[pcm & 0xFFFF];
  }

  /**
   * Decodes one code.
   *
   * @param code the µ-law byte
   * @return the 16-bit linear sample
   */
  public static short decode(byte code) {
    return DECODE[code & 0xFF];
  }

  private static int encodeByRule(int sample) {
    int sign = sample < 0 ? 0x80 : 0;
    int magnitude = Math.min(Math.abs(sample), CLIP) + BIAS;
    // The segment (exponent) is the position of the highest set bit among bits 7..14.
    int exponent = 31 - Integer.numberOfLeadingZeros(magnitude >> 7);
    if (exponent < 0) {
      exponent = 0;
    }
    int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    return ~(sign | (exponent << 4) | mantissa) & 0xFF;
  }

  private static int decodeByRule(int code) {
    int inverted = ~code & 0xFF;
    int exponent = (inverted >> 4) & 0x07;
    int mantissa = inverted & 0x0F;
    int magnitude = ((mantissa << 3) + BIAS) << exponent;
    return (inverted & 0x80) != 0 ? BIAS - magnitude : magnitude - BIAS;
  }
}
