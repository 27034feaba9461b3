package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of the public value types and the edited acoustic-model settings. */
class ValuesTest {

  private static final Duration MS = Duration.ofMillis(1);

  @Test
  void transcriptCopiesItsListsAndRejectsBadValues() {
    List<WordHypothesis> words = new ArrayList<>();
    words.add(new WordHypothesis("bill", Duration.ZERO, MS, 0.5));
    Transcript t = new Transcript("bill", -100, 0.4, words, List.of("pill"), MS, MS);
    words.clear();
    assertThat(t.words()).hasSize(1);
    assertThat(t.isEmpty()).isFalse();
    assertThat(new Transcript("", 0, 0, List.of(), List.of(), MS, MS).isEmpty()).isTrue();
    assertThatThrownBy(() -> new Transcript("x", 0, 1.5, List.of(), List.of(), MS, MS))
        .hasMessageContaining("confidence");
    assertThatThrownBy(() -> new Transcript("x", 0, 0.5, List.of(), List.of(), MS.negated(), MS))
        .hasMessageContaining("negative");
  }

  @Test
  void wordHypothesisRejectsBlankWordsReversedSpansAndBadConfidence() {
    assertThatThrownBy(() -> new WordHypothesis(" ", Duration.ZERO, MS, 0.5))
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> new WordHypothesis("a", MS, Duration.ZERO, 0.5))
        .hasMessageContaining("time span");
    assertThatThrownBy(() -> new WordHypothesis("a", Duration.ZERO, MS, Double.NaN))
        .hasMessageContaining("confidence");
  }

  @Test
  void settingsRejectNonsense() {
    Path dir = Path.of("target");
    assertThatThrownBy(
            () -> new PocketSphinxRecognizer.Settings(0, 1, Duration.ofSeconds(1), 1, dir))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> new PocketSphinxRecognizer.Settings(1, 1, Duration.ZERO, 1, dir))
        .hasMessageContaining("finalisationTimeout");
    assertThatThrownBy(
            () -> new PocketSphinxRecognizer.Settings(1, 1, Duration.ofSeconds(1), 21, dir))
        .hasMessageContaining("nBest");
    PocketSphinxRecognizer.Settings ok =
        new PocketSphinxRecognizer.Settings(1, 1, Duration.ofSeconds(1), 1, dir);
    assertThat(ok.noiseAdapted()).isTrue();
    assertThat(ok.noisyLineDbfs())
        .isEqualTo(PocketSphinxRecognizer.Settings.DEFAULT_NOISY_LINE_DBFS);
    assertThat(ok.withNoiseAdapted(false, -40).noiseAdapted()).isFalse();
    assertThatThrownBy(() -> ok.withNoiseAdapted(true, Double.NaN))
        .hasMessageContaining("noisyLineDbfs");
    assertThatThrownBy(() -> ok.withNoiseAdapted(true, 3)).hasMessageContaining("noisyLineDbfs");
  }

  @Test
  void settingsCarryDecoderArgumentsAndRejectMalformedOnes() {
    PocketSphinxRecognizer.Settings s =
        new PocketSphinxRecognizer.Settings(1, 1, Duration.ofSeconds(1), 1, Path.of("target"));
    assertThat(s.decoderArguments()).isEqualTo(PocketSphinxRecognizer.Settings.DECODER_ARGUMENTS);
    List<String> mine = new ArrayList<>(List.of("-pl_window", "3"));
    PocketSphinxRecognizer.Settings other = s.withDecoderArguments(mine);
    mine.clear();
    assertThat(other.decoderArguments()).containsExactly("-pl_window", "3");
    assertThat(other.maxSessions()).isEqualTo(s.maxSessions());
    assertThat(s.withDecoderArguments(List.of()).decoderArguments()).isEmpty();
    assertThatThrownBy(() -> s.withDecoderArguments(List.of("-beam")))
        .hasMessageContaining("name/value pairs");
    assertThatThrownBy(() -> s.withDecoderArguments(List.of("beam", "1e-40")))
        .hasMessageContaining("not a decoder argument name");
    assertThatThrownBy(() -> s.withDecoderArguments(List.of("-beam", " ")))
        .hasMessageContaining("blank value");
    assertThatThrownBy(() -> s.withDecoderArguments(List.of("-maxwpf", "10")))
        .hasMessageContaining("set by the recogniser");
    // PocketSphinx would let feat.params override these without a word
    assertThatThrownBy(() -> s.withDecoderArguments(List.of("-cmninit", "40,3,-1")))
        .hasMessageContaining("feat.params")
        .hasMessageContaining("ignored");
    assertThatThrownBy(() -> s.withNoiseDecoderArguments(List.of("-topn", "3", "-nfilt", "20")))
        .hasMessageContaining("-nfilt comes from the acoustic model's feat.params");
    assertThatThrownBy(() -> s.withDecoderArguments(List.of("-beam", "1e-40", "-beam", "1e-30")))
        .hasMessageContaining("given twice");
    // the noise-adapted model's list is separate and checked the same way
    assertThat(s.noiseDecoderArguments())
        .isEqualTo(PocketSphinxRecognizer.Settings.NOISE_DECODER_ARGUMENTS);
    PocketSphinxRecognizer.Settings noisy = s.withNoiseDecoderArguments(List.of("-topn", "3"));
    assertThat(noisy.noiseDecoderArguments()).containsExactly("-topn", "3");
    assertThat(noisy.decoderArguments()).isEqualTo(s.decoderArguments());
    assertThat(noisy.withNoiseAdapted(false, -50).noiseDecoderArguments())
        .containsExactly("-topn", "3");
    assertThatThrownBy(() -> s.withNoiseDecoderArguments(List.of("-hmm", "/tmp")))
        .hasMessageContaining("set by the recogniser");
  }

  @Test
  void featureParametersGetLiveCmnWithTheTelephoneMean() {
    assertThat(PocketSphinxRecognizer.AcousticModel.adjust("-cmn batch")).isEqualTo("-cmn live");
    assertThat(PocketSphinxRecognizer.AcousticModel.adjust("-cmninit 41.00,-5.29"))
        .isEqualTo("-cmninit " + PocketSphinxRecognizer.AcousticModel.TELEPHONE_CMN_INIT);
    assertThat(PocketSphinxRecognizer.AcousticModel.adjust("-nfilt 25")).isEqualTo("-nfilt 25");
  }

  @Test
  void hypothesesLoseFillersAndAlternativePronunciationMarks() {
    assertThat(SphinxDecoder.cleanHypothesis("<s> the(2) bill [NOISE] <sil> </s>"))
        .isEqualTo("the bill");
  }
}
