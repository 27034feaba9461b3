package voicecall.tts;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import voicecall.tts.audio.PcmAudio;

/**
 * Plausibility check of synthesised audio, so a synthesiser that returns silence, a click, noise or
 * a runaway stream is treated as failed and the next one is tried.
 */
final class SpeechCheck {

  /** Quieter than this over the whole clip is silence. */
  static final double MIN_LEVEL_DBFS = -45;

  /** Speech has far fewer zero crossings per sample than white noise (about 0.5). */
  static final double MAX_ZERO_CROSSING_RATE = 0.35;

  private SpeechCheck() {}

  /**
   * Shortest plausible duration for the text: 20 ms per English letter, 50 ms per Korean syllable,
   * about a third of ordinary speaking rates.
   */
  static Duration minimumDuration(String text, Language language) {
    long units = text.codePoints().filter(Character::isLetterOrDigit).count();
    long perUnit = language == Language.KOREAN ? 50 : 20;
    return Duration.ofMillis(Math.max(80, units * perUnit));
  }

  /** Longest plausible duration: a very slow speaker plus pauses. */
  static Duration maximumDuration(String text, Language language) {
    long units = text.codePoints().filter(Character::isLetterOrDigit).count();
    long perUnit = language == Language.KOREAN ? 500 : 250;
    return Duration.ofMillis(2_000 + units * perUnit);
  }

  /**
   * Why the audio is not plausible speech for the text, or null when it is.
   *
   * @return a reason or null
   */
  static @Nullable String problem(PcmAudio audio, String text, Language language) {
    Duration min = minimumDuration(text, language);
    Duration max = maximumDuration(text, language);
    if (audio.duration().compareTo(min) < 0) {
      return "audio too short: "
          + audio.duration().toMillis()
          + " ms, expected at least "
          + min.toMillis()
          + " ms";
    }
    if (audio.duration().compareTo(max) > 0) {
      return "audio too long: "
          + audio.duration().toMillis()
          + " ms, expected at most "
          + max.toMillis()
          + " ms";
    }
    double level = audio.rmsDbfs();
    if (level < MIN_LEVEL_DBFS) {
      return String.format("audio is silent: %.1f dBFS", level);
    }
    double zcr = zeroCrossingRate(audio);
    if (zcr > MAX_ZERO_CROSSING_RATE) {
      return String.format("audio is noise, not speech: zero-crossing rate %.2f", zcr);
    }
    return null;
  }

  static double zeroCrossingRate(PcmAudio audio) {
    int crossings = 0;
    int counted = 0;
    for (int i = 1; i < audio.length(); i++) {
      short a = audio.sample(i - 1);
      short b = audio.sample(i);
      if (Math.abs(a) < 64 && Math.abs(b) < 64) {
        continue; // ignore near-silence, where dither crosses zero all the time
      }
      counted++;
      if ((a < 0) != (b < 0)) {
        crossings++;
      }
    }
    return counted == 0 ? 0 : (double) crossings / counted;
  }
}
