package voicecall.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnowledgeRulesTest {

  private final KnowledgeRules rules = new KnowledgeRules(10, 40, 100);

  @Test
  void collectsEveryProblemOfEveryRow() {
    List<EntryDraft> drafts =
        List.of(
            new EntryDraft(2, "ok-1", List.of("What?"), "Fine.", List.of(), "en"),
            new EntryDraft(3, "", List.of(), " ", null, "fr"),
            new EntryDraft(4, "ok-1", List.of("Again?"), "x".repeat(41), null, null),
            new EntryDraft(5, "bad id!", List.of("Q?"), "A.", null, null));
    assertThatThrownBy(() -> rules.validate(drafts))
        .isInstanceOfSatisfying(
            InvalidKnowledgeException.class,
            e ->
                assertThat(e.problems())
                    .extracting(p -> p.row() + ":" + p.field())
                    .containsExactly(
                        "3:id", "3:question", "3:answer", "3:lang", "4:answer", "4:id", "5:id"));
  }

  @Test
  void namesTheFirstRowOfADuplicateAndTheLimitOfALongAnswer() {
    List<EntryDraft> drafts =
        List.of(
            new EntryDraft(1, "a", List.of("Q1?"), "A.", null, null),
            new EntryDraft(2, "a", List.of("Q2?"), "y".repeat(50), null, null));
    assertThatThrownBy(() -> rules.validate(drafts))
        .hasMessageContaining("duplicate id 'a' (first used in row 1)")
        .hasMessageContaining("at most 40");
  }

  @Test
  void tooManyPhrasingsAndOverlongTagsAreRejected() {
    List<String> phrasings =
        java.util.stream.IntStream.range(0, 21).mapToObj(i -> "Q" + i + "?").toList();
    EntryDraft draft =
        new EntryDraft(
            7, "x", List.copyOf(phrasings), "A.", List.of("t".repeat(600), "u".repeat(600)), null);
    assertThatThrownBy(() -> rules.validateOne(draft))
        .isInstanceOfSatisfying(
            InvalidKnowledgeException.class,
            e ->
                assertThat(e.problems())
                    .extracting(p -> p.row() + ":" + p.field())
                    .containsExactly("7:question", "7:tags"));
  }

  @Test
  void tooManyEntriesIsAProblemOfTheWholeUpload() {
    List<EntryDraft> drafts =
        java.util.stream.IntStream.rangeClosed(1, 11)
            .mapToObj(i -> new EntryDraft(i, "e" + i, List.of("Q?"), "A.", null, null))
            .toList();
    assertThatThrownBy(() -> rules.validate(drafts))
        .isInstanceOfSatisfying(
            InvalidKnowledgeException.class, e -> assertThat(e.problems().get(0).row()).isZero());
  }

  @Test
  void detectsTheLanguageWhenItIsNotGiven() {
    List<Entry> entries =
        rules.validate(
            List.of(
                new EntryDraft(1, "k", List.of("요금제 변경"), "앱에서 바꾸세요.", null, ""),
                new EntryDraft(2, "e", List.of("Change plan"), "Use the app.", null, null),
                new EntryDraft(3, "m", List.of("eSIM 개통 방법"), "QR 코드로 개통합니다.", null, null)));
    assertThat(entries)
        .extracting(Entry::language)
        .containsExactly(Language.KO, Language.EN, Language.KO);
  }

  @Test
  void languageCodesAreReadLeniently() {
    assertThat(Language.fromCode(" KO ")).contains(Language.KO);
    assertThat(Language.fromCode("de")).isEmpty();
    assertThat(Language.EN.code()).isEqualTo("en");
  }
}
