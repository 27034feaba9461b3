package voicecall.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnansweredGroupsTest {

  private static CallStore.Unanswered q(String call, String text) {
    return new CallStore.Unanswered(call, text, "NONE");
  }

  @Test
  void wordsAreNormalisedAndFunctionWordsLeftOut() {
    assertThat(UnansweredGroups.words("How do I PAY my bill?")).isEqualTo(Set.of("pay", "bill"));
    assertThat(UnansweredGroups.words("Ｐａｙ   bill!!")).isEqualTo(Set.of("pay", "bill"));
    assertThat(UnansweredGroups.words("요금제 변경, 가능해요?")).isEqualTo(Set.of("요금제", "변경", "가능해요"));
    assertThat(UnansweredGroups.words("")).isEmpty();
  }

  @Test
  void similarityIsJaccard() {
    assertThat(UnansweredGroups.similarity(Set.of("a1", "b1"), Set.of("b1", "c1")))
        .isEqualTo(1.0 / 3);
    assertThat(UnansweredGroups.similarity(Set.of("x"), Set.of("x"))).isEqualTo(1.0);
    assertThat(UnansweredGroups.similarity(Set.of(), Set.of())).isEqualTo(1.0);
    assertThat(UnansweredGroups.similarity(Set.of("x"), Set.of())).isZero();
  }

  @Test
  void similarQuestionsAreGroupedMostFrequentFirst() {
    List<UnansweredGroups.Group> groups =
        UnansweredGroups.group(
            List.of(
                q("c1", "what's the weather tomorrow"),
                q("c2", "how do I pay my bill"),
                q("c3", "pay bill online"),
                q("c4", "Pay my bill"),
                q("c5", "weather tomorrow please"),
                q("c6", "how do I cancel"),
                q("c4", "pay my bill")),
            0.5);
    assertThat(groups).extracting(UnansweredGroups.Group::count).containsExactly(4, 2, 1);
    UnansweredGroups.Group bills = groups.get(0);
    assertThat(bills.question()).isEqualTo("how do I pay my bill");
    assertThat(bills.questions())
        .containsExactly("how do I pay my bill", "pay bill online", "Pay my bill", "pay my bill");
    assertThat(bills.callIds()).containsExactly("c2", "c3", "c4");
    assertThat(groups.get(1).callIds()).containsExactly("c1", "c5");
    assertThat(groups.get(2).question()).isEqualTo("how do I cancel");
  }

  @Test
  void aStricterThresholdSplitsGroups() {
    List<CallStore.Unanswered> qs =
        List.of(q("c1", "pay bill online"), q("c2", "pay bill"), q("c3", "pay online"));
    assertThat(UnansweredGroups.group(qs, 0.5)).hasSize(1);
    assertThat(UnansweredGroups.group(qs, 1.0)).hasSize(3);
  }

  @Test
  void examplesAreCapped() {
    List<CallStore.Unanswered> qs =
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> q("c" + i, "refund " + i)).toList();
    List<UnansweredGroups.Group> groups = UnansweredGroups.group(qs, 0.3);
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).count()).isEqualTo(20);
    assertThat(groups.get(0).callIds()).hasSize(UnansweredGroups.EXAMPLES);
    assertThat(groups.get(0).questions()).hasSize(UnansweredGroups.EXAMPLES);
  }

  @Test
  void aThresholdOutsideTheRangeIsRefused() {
    assertThatThrownBy(() -> UnansweredGroups.group(List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UnansweredGroups.group(List.of(), 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
