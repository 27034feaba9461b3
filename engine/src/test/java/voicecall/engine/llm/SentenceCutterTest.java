package voicecall.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceCutterTest {

  private static List<String> cut(String... pieces) {
    SentenceCutter c = new SentenceCutter();
    List<String> out = new ArrayList<>();
    for (String p : pieces) {
      out.addAll(c.add(p));
    }
    out.addAll(c.finish());
    return out;
  }

  @Test
  void aSentenceIsCutOnlyOnceTheSpaceAfterItsEndArrives() {
    SentenceCutter c = new SentenceCutter();
    assertThat(c.add("We open at nine")).isEmpty();
    assertThat(c.add(".")).isEmpty();
    assertThat(c.add(" We")).containsExactly("We open at nine.");
    assertThat(c.add(" close!")).isEmpty();
    assertThat(c.finish()).containsExactly("We close!");
  }

  @Test
  void abbreviationsDecimalsAndCitationsDoNotEndSentences() {
    assertThat(cut("Call Dr. Kim at ext", ". 3.5 or e.g. the desk [hours]. Then ", "go home."))
        .containsExactly("Call Dr. Kim at ext. 3.5 or e.g. the desk.", "Then go home.");
  }

  @Test
  void koreanFullStopsAndQuestionMarksCut() {
    assertThat(cut("영업시간은 아홉 시부터입니다。주말", "에는 쉽니다? 네"))
        .containsExactly("영업시간은 아홉 시부터입니다。", "주말에는 쉽니다?", "네");
  }
}
