package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written name checks of {@link CatalogParser} accept exactly what the documented patterns accept. */
class NameRulesTest {
    private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern EVENT_OR_FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

    @Provide
    Arbitrary<String> nameLike() {
        return Arbitraries.strings().withChars("abzAZ09_-.é \u0660").ofMinLength(0).ofMaxLength(70);
    }

    @Property(tries = 3000)
    void appAndEventNames(@ForAll("nameLike") String s) {
        assertThat(CatalogSource.isName(s, 40, '-')).as(s).isEqualTo(APP_NAME.matcher(s).matches());
        assertThat(CatalogSource.isName(s, 64, '_')).as(s).isEqualTo(EVENT_OR_FIELD_NAME.matcher(s).matches());
    }

    @Property(tries = 3000)
    void packageNames(@ForAll("nameLike") String s) {
        assertThat(CatalogParser.isPackageName(s)).as(s).isEqualTo(PACKAGE_NAME.matcher(s).matches());
    }
}
