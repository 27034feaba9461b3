package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PronunciationsTest {

  @TempDir Path dir;

  @Test
  void dictionaryHasOnlyTheVocabularyFromCmudictOverridesDigitsAndLetterToSound() throws Exception {
    Path cmudict = dir.resolve("cmudict");
    Files.writeString(
        cmudict,
        "bill B IH L\nplan P L AE N\nthe DH AH\nthe(2) DH IY\nunused AH N Y UW Z D\nsim S IY M\n",
        StandardCharsets.UTF_8);
    Path out = dir.resolve("domain.dict");

    List<String> guessed =
        Pronunciations.write(
            Set.of("bill", "plan", "the", "esim", "sim", "24", "flonkify"), cmudict, out);

    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines)
        .contains(
            "bill B IH L",
            "plan P L AE N",
            "the DH AH",
            "the(2) DH IY",
            "esim IY S IH M",
            "sim S IH M",
            "24 T UW F AO R")
        .noneMatch(l -> l.startsWith("unused"));
    assertThat(guessed).containsExactly("flonkify");
    String lts = lines.stream().filter(l -> l.startsWith("flonkify ")).findFirst().orElseThrow();
    assertThat(lts.substring("flonkify ".length()).split(" "))
        .hasSizeGreaterThan(4)
        .allMatch(p -> p.matches("[A-Z]{1,2}"))
        .doesNotContain("AX");
  }

  @Test
  void letterToSoundUsesTheModelsPhoneSet() {
    assertThat(Pronunciations.letterToSound("telephone")).isEqualTo("T EH L AH F OW N");
    assertThat(Pronunciations.letterToSound("about")).startsWith("AH B");
  }
}
