package voicecall.tts.audio;

/** Test signals and a level meter. */
final class Tones {

  private Tones() {}

  static PcmAudio sine(double frequency, int sampleRate, double seconds, double amplitude) {
    short[] samples = new short[(int) (sampleRate * seconds)];
    for (int i = 0; i < samples.length; i++) {
      samples[i] =
          (short)
              Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * frequency * i / sampleRate));
    }
    return PcmAudio.of(samples, sampleRate);
  }

  /** RMS level in dBFS of the middle half, away from the filter's start and end transients. */
  static double middleLevel(PcmAudio audio) {
    int quarter = audio.length() / 4;
    return PcmAudio.rmsDbfs(audio.samples(), quarter, audio.length() - quarter);
  }

  /** Level in dBFS of one frequency (Goertzel), over the middle half. */
  static double levelAt(PcmAudio audio, double frequency) {
    int quarter = audio.length() / 4;
    int n = audio.length() - 2 * quarter;
    double coefficient = 2 * Math.cos(2 * Math.PI * frequency / audio.sampleRate());
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double s = audio.sample(quarter + i) / 32768.0 + coefficient * s1 - s2;
      s2 = s1;
      s1 = s;
    }
    double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    double amplitude = 2 * Math.sqrt(power) / n;
    // a sine of amplitude A has RMS A / sqrt(2)
    return 20 * Math.log10(amplitude / Math.sqrt(2) + 1e-12);
  }
}
