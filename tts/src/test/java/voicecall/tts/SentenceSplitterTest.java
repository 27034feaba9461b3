package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

  private final SentenceSplitter splitter = SentenceSplitter.create();

  private List<String> ko(String text) {
    return splitter.split(text, Language.KOREAN);
  }

  private List<String> en(String text) {
    return splitter.split(text, Language.ENGLISH);
  }

  @Test
  void koreanEndingsWithPunctuation() {
    assertThat(ko("요금제를 변경했습니다. 다음 달부터 적용돼요? 네, 맞죠."))
        .containsExactly("요금제를 변경했습니다.", "다음 달부터 적용돼요?", "네, 맞죠.");
  }

  @Test
  void koreanEndingsWithoutPunctuation() {
    assertThat(ko("확인되었습니다 잠시만 기다려 주세요 상담원을 연결해 드릴까요"))
        .containsExactly("확인되었습니다", "잠시만 기다려 주세요", "상담원을 연결해 드릴까요");
  }

  @Test
  void koreanQuotedSentenceInsideALargerOneIsNotAnEnd() {
    assertThat(ko("고객님께서 \"해지하겠습니다.\"라고 말씀하셨습니다. 맞으신가요?"))
        .containsExactly("고객님께서 \"해지하겠습니다.\"라고 말씀하셨습니다.", "맞으신가요?");
  }

  @Test
  void koreanDecimalsAndAddressesAreNotEnds() {
    assertThat(ko("속도는 2.5배 빨라집니다. 자세한 내용은 www.example.co.kr에서 확인하세요."))
        .containsExactly("속도는 2.5배 빨라집니다.", "자세한 내용은 www.example.co.kr에서 확인하세요.");
  }

  @Test
  void englishAbbreviationsInitialsAndDecimalsAreNotEnds() {
    assertThat(
            en(
                "Dr. Smith will call you. The fee is 3.5 dollars, e.g. for J. Doe. Mr. Lee"
                    + " agreed! Is that right?"))
        .containsExactly(
            "Dr. Smith will call you.",
            "The fee is 3.5 dollars, e.g. for J. Doe.",
            "Mr. Lee agreed!",
            "Is that right?");
  }

  @Test
  void englishQuotesStayWithTheirSentence() {
    assertThat(en("\"Is it ready?\" she asked. He said \"Yes.\" Then he left."))
        .containsExactly("\"Is it ready?\" she asked.", "He said \"Yes.\"", "Then he left.");
  }

  @Test
  void ellipsisAndRunsOfPunctuation() {
    assertThat(en("Wait... let me check. Really?! Yes."))
        .containsExactly("Wait... let me check.", "Really?!", "Yes.");
  }

  @Test
  void longSentenceIsCutAtClauseBoundariesWithinTheLimit() {
    SentenceSplitter small = SentenceSplitter.create(50, 50);
    String text =
        "Your new plan includes unlimited calls and texts, fifty gigabytes of data every month,"
            + " and free roaming in twenty countries but the discount ends after one year.";
    List<String> chunks = small.split(text, Language.ENGLISH);
    assertThat(chunks)
        .hasSizeGreaterThan(2)
        .allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(50));
    assertThat(String.join(" ", chunks)).isEqualTo(text);
    assertThat(chunks.get(0)).isEqualTo("Your new plan includes unlimited calls and texts,");
  }

  @Test
  void longKoreanSentenceIsCutAfterConnectiveEndings() {
    SentenceSplitter small = SentenceSplitter.create(30, 25);
    String text = "고객님의 요금제는 다음 달부터 변경되며 변경된 요금은 청구서에 반영되고 남은 데이터는 이월되지 않습니다.";
    List<String> chunks = small.split(text, Language.KOREAN);
    assertThat(chunks)
        .containsExactly("고객님의 요금제는 다음 달부터 변경되며", "변경된 요금은 청구서에 반영되고", "남은 데이터는 이월되지 않습니다.");
  }

  @Test
  void firstChunkIsShortWhenAClauseBoundaryAllows() {
    List<String> chunks =
        en("Thank you for calling, your balance is twelve dollars and it is due on Friday.");
    assertThat(chunks.get(0)).isEqualTo("Thank you for calling,");
    assertThat(chunks).hasSize(2);
    assertThat(String.join(" ", chunks))
        .isEqualTo(
            "Thank you for calling, your balance is twelve dollars and it is due on Friday.");
  }

  @Test
  void firstChunkWithoutClauseBoundaryIsNotCutMidPhrase() {
    String sentence = "Your replacement SIM card was shipped yesterday afternoon.";
    assertThat(en(sentence)).containsExactly(sentence);
  }

  @Test
  void aWordLongerThanTheLimitIsCutHardWithAShortFirstChunk() {
    SentenceSplitter small = SentenceSplitter.create(20, 10);
    List<String> chunks = small.split("a".repeat(45), Language.ENGLISH);
    assertThat(chunks).containsExactly("a".repeat(10), "a".repeat(20), "a".repeat(15));
  }

  @Test
  void nothingToSayGivesNoChunks() {
    assertThat(en("")).isEmpty();
    assertThat(en("   ")).isEmpty();
    assertThat(ko("... !!! ???")).isEmpty();
  }

  @Test
  void whitespaceIsCollapsed() {
    assertThat(en("  Hello\n\n there.\tBye. ")).containsExactly("Hello there.", "Bye.");
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> SentenceSplitter.create(10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxChars");
    assertThatThrownBy(() -> SentenceSplitter.create(50, 60))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("firstChunkMaxChars");
  }
}
