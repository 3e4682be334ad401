package dev.candor.server.web.dashboard;

/**
 * The dashboard's one stylesheet, inlined in every page so that a page is a single request with
 * nothing fetched from elsewhere. Narrow screens get one column and tables that scroll sideways; a bar
 * table's labels may break anywhere (its bars must keep room), but the shares-per-group table keeps
 * its item names' words whole and scrolls instead (broken anywhere, they took a line per two letters).
 * Code in running text (a catalog's SHA-256, a file's path) breaks where it would stick out of the page.
 * A line chart's labels are sized in its own units and shrink with it, so a phone gets larger ones
 * (about 11 px once drawn) that may reach into the page's margin.
 */
final class DashboardStyle {

    static final String CSS = """
            :root{--ink:#1d2430;--muted:#5b6675;--line:#d5dae1;--accent:#1f6feb;--band:#1f6feb;--soft:#f4f6f9;--warn:#9a3b00}
            *{box-sizing:border-box}
            body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);background:#fff}
            header.top{padding:.6rem 1rem;border-bottom:1px solid var(--line);font-weight:600}
            header.top a{color:var(--ink);text-decoration:none}
            header.top span{color:var(--muted);margin:0 .3rem}
            main{max-width:62rem;margin:0 auto;padding:1rem}
            footer{max-width:62rem;margin:2rem auto;padding:1rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
            h1{font-size:1.6rem;margin:.4rem 0}
            h2{font-size:1.25rem;margin:1.8rem 0 .4rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
            h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
            a{color:var(--accent)}
            code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
            code{background:var(--soft);padding:.1em .3em;border-radius:3px;overflow-wrap:break-word}
            pre{background:var(--soft);padding:.8rem;overflow-x:auto;border-radius:4px}
            pre code{background:none;padding:0}
            .meta,.hint,.desc{color:var(--muted)}
            .hint{font-size:.9rem;margin:.2rem 0}
            .desc{font-weight:normal;font-size:.9rem}
            .small{font-size:.8rem;font-weight:normal}
            .big{font-size:1.4rem;margin:.2rem 0}
            .ci{color:var(--muted);font-size:.85em;margin-left:.4em;white-space:nowrap}
            .notice,.maintainer-note{background:#fff7e6;border:1px solid #f0c36d;padding:.5rem .8rem;border-radius:4px}
            nav.periods{display:flex;flex-wrap:wrap;gap:.3rem .6rem;font-size:.9rem;margin:.6rem 0}
            nav.periods strong{background:var(--ink);color:#fff;padding:0 .4rem;border-radius:3px}
            .table-scroll{overflow-x:auto}
            table{border-collapse:collapse;margin:.4rem 0;width:100%}
            th,td{padding:.25rem .5rem;text-align:left;vertical-align:middle;border-bottom:1px solid var(--line)}
            thead th{font-size:.85rem;color:var(--muted);font-weight:600}
            th[scope=row]{font-weight:normal;white-space:nowrap}
            .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
            table.bars .chart-col{width:45%;min-width:6rem}
            table.bars td.num{width:1%}
            table.matrix caption{text-align:left;font-size:.9rem;color:var(--muted);padding:.2rem 0}
            svg.bar{display:block;width:100%;height:14px}
            svg.bar .fill{fill:var(--accent);opacity:.75}
            svg.bar .whisker{stroke:var(--ink);stroke-width:1.5;fill:none}
            svg.bar .withheld{fill:none;stroke:var(--warn);stroke-dasharray:3 2;vector-effect:non-scaling-stroke}
            tr.suppressed th{color:var(--muted)}
            .suppressed-tag{color:var(--warn);font-style:italic}
            .suppressed-tag::before{content:"⊘ "}
            figure.chart{margin:.4rem 0}
            svg.line-chart{width:100%;height:auto;display:block}
            svg.line-chart .grid{stroke:var(--line);stroke-width:1}
            svg.line-chart .tick{fill:var(--muted);font-size:13px}
            svg.line-chart .band{fill:var(--band);opacity:.18}
            svg.line-chart .line{fill:none;stroke:var(--accent);stroke-width:2.5}
            svg.line-chart .dot{fill:var(--accent)}
            svg.line-chart .suppressed-mark path{stroke:var(--warn);stroke-width:2}
            .exact{background:#fffaf0;border:1px solid #f0c36d;padding:0 .8rem .8rem;border-radius:4px;margin-top:1.5rem}
            .badge{font-size:.75rem;background:var(--warn);color:#fff;padding:.05rem .4rem;border-radius:3px;vertical-align:middle}
            .legend ul{padding-left:1.2rem;color:var(--muted);font-size:.9rem}
            td.breakdowns{font-size:.85rem;color:var(--muted)}
            td.period{white-space:nowrap}
            .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
            details summary{cursor:pointer;color:var(--accent);font-size:.9rem}
            @media (max-width:40rem){main{padding:.6rem}h1{font-size:1.3rem}table.bars .chart-col{width:35%}
              table.bars th[scope=row]{white-space:normal;overflow-wrap:anywhere}table.matrix th[scope=row]{white-space:normal}
              .ci{display:block;margin-left:0}
              svg.line-chart{overflow:visible}svg.line-chart .tick{font-size:20px}}
            """;

    private DashboardStyle() {
    }
}
