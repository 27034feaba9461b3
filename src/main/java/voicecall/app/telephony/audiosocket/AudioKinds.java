package voicecall.app.telephony.audiosocket;

/**
 * The audio kinds of AudioSocket: {@code 0x10} is 8 kHz slin; Asterisk 22 numbers further rates
 * {@code 0x11}..{@code 0x18} (12, 16, 24, 32, 44.1, 48, 96, 192 kHz).
 */
final class AudioKinds {

  private static final int[] RATES = {
    8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000, 192000
  };

  private AudioKinds() {}

  /** The sample rate of an audio kind, or 0 when the kind is not audio. */
  static int rateOf(int kind) {
    int index = kind - AudioSocketMessage.KIND_AUDIO_8K;
    return index >= 0 && index < RATES.length ? RATES[index] : 0;
  }

  /** The kind byte for a sample rate. */
  static int kindOf(int sampleRate) {
    for (int i = 0; i < RATES.length; i++) {
      if (RATES[i] == sampleRate) {
        return AudioSocketMessage.KIND_AUDIO_8K + i;
      }
    }
    throw new IllegalArgumentException("AudioSocket has no audio kind for " + sampleRate + " Hz");
  }
}
