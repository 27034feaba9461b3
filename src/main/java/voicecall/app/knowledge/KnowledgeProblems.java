package voicecall.app.knowledge;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import voicecall.rag.InvalidKnowledgeException;

/** RFC 9457 problem details for the knowledge endpoints; invalid uploads list every row error. */
@RestControllerAdvice(assignableTypes = {KnowledgeController.class, AskController.class})
class KnowledgeProblems {

  @ExceptionHandler
  ProblemDetail invalid(InvalidKnowledgeException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            e.problems().size() + " problem(s) in the knowledge; nothing was changed");
    problem.setTitle("Invalid knowledge");
    problem.setType(URI.create("urn:voicecall:problem:invalid-knowledge"));
    List<Map<String, Object>> errors =
        e.problems().stream()
            .map(
                p ->
                    Map.<String, Object>of(
                        "row", p.row(), "field", p.field(), "message", p.message()))
            .toList();
    problem.setProperty("errors", errors);
    return problem;
  }

  @ExceptionHandler
  ProblemDetail request(KnowledgeRequestException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(e.status(), String.valueOf(e.getMessage()));
    problem.setTitle(e.title());
    return problem;
  }
}
