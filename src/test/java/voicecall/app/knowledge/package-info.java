/** Integration tests of the knowledge REST API and its persistence on H2 and MariaDB. */
@NullMarked
package voicecall.app.knowledge;

import org.jspecify.annotations.NullMarked;
