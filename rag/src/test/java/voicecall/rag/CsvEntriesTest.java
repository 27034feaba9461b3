package voicecall.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvEntriesTest {

  @Test
  void readsQuotedFieldsWithCommasQuotesAndLineBreaksAfterABom() {
    String csv =
        "\uFEFFid,question,answer,tags,lang\r\n"
            + "a1,\"How, exactly? | Another way\",\"Say \"\"hi\"\"\nthen go\",\"x,y\",en\r\n"
            + "a2,요금제 변경,요금제는 앱에서 바꿉니다.,,\r\n";
    List<EntryDraft> drafts = CsvEntries.parse(csv);
    assertThat(drafts).hasSize(2);
    EntryDraft first = drafts.get(0);
    assertThat(first.row()).isEqualTo(2);
    assertThat(first.id()).isEqualTo("a1");
    assertThat(first.questions()).containsExactly("How, exactly? ", " Another way");
    assertThat(first.answer()).isEqualTo("Say \"hi\"\nthen go");
    assertThat(first.tags()).containsExactly("x", "y");
    assertThat(drafts.get(1).row()).isEqualTo(4); // the quoted line break moved it down a line
    List<Entry> entries = KnowledgeRules.DEFAULT.validate(drafts);
    assertThat(entries.get(0).questions()).containsExactly("How, exactly?", "Another way");
    assertThat(entries.get(1).language()).isEqualTo(Language.KO);
    assertThat(entries.get(1).tags()).isEmpty();
  }

  @Test
  void columnsMayComeInAnyOrderAndOptionalOnesMayBeAbsent() {
    List<EntryDraft> drafts = CsvEntries.parse("answer,id,question\nHello there,x,Hi?\n");
    assertThat(drafts.get(0).id()).isEqualTo("x");
    assertThat(drafts.get(0).answer()).isEqualTo("Hello there");
    assertThat(drafts.get(0).language()).isNull();
  }

  @Test
  void reportsEveryStructuralProblemWithItsLine() {
    String csv = "id,question,answer,colour\n" + "a,b,c,d\n" + "a,b\n" + "x,y,z,w,v\n";
    assertThatThrownBy(() -> CsvEntries.parse(csv))
        .isInstanceOfSatisfying(
            InvalidKnowledgeException.class,
            e -> assertThat(e.problems()).extracting(RowProblem::row).containsExactly(1, 3, 4));
  }

  @Test
  void reportsMissingRequiredColumnsAndAnUnclosedQuote() {
    assertThatThrownBy(() -> CsvEntries.parse("id,tags\nx,y\n"))
        .isInstanceOfSatisfying(
            InvalidKnowledgeException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RowProblem::field)
                    .containsExactly("question", "answer"));
    assertThatThrownBy(() -> CsvEntries.parse("id,question,answer\nx,\"open,z\n"))
        .isInstanceOfSatisfying(
            InvalidKnowledgeException.class,
            e -> assertThat(e.problems().get(0).message()).contains("never closed"));
  }

  @Test
  void rejectsAnEmptyFileAndAHeaderWithoutEntries() {
    assertThatThrownBy(() -> CsvEntries.parse("")).isInstanceOf(InvalidKnowledgeException.class);
    assertThatThrownBy(() -> CsvEntries.parse("id,question,answer\n"))
        .hasMessageContaining("no entries");
  }
}
