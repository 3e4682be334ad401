package dev.candor.internal.record;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogParser;
import java.io.InputStream;

/** The test catalogs beside this class: acme's (DESIGN §3), unclamped, and weekly. */
final class TestCatalogs {
    private TestCatalogs() {
    }

    static Catalog acme() {
        return load("acme-catalog.json");
    }

    static Catalog unclamped() {
        return load("acme-catalog-unclamped.json");
    }

    static Catalog weekly() {
        return load("acme-catalog-weekly.json");
    }

    static Catalog load(String name) {
        try (InputStream in = TestCatalogs.class.getResourceAsStream(name)) {
            return CatalogParser.parse(in.readAllBytes(), name);
        } catch (Exception e) {
            throw new AssertionError("cannot load test catalog " + name, e);
        }
    }
}
