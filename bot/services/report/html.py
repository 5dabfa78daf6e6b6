"""The quality report as one self-contained, print-friendly HTML page (jinja2).

Every visible word is translated in Python and handed to the template, so the catalogs see
them; the charts come in as inline SVG (markup matplotlib wrote, not user input). No external
resources: the page prints and archives as one file.
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from bot.i18n import Translator
from bot.services.report.charts import Chart, category_name
from bot.services.report.report import QualityReport
from bot.services.report.text import decimal, key_figures, month_name, signed, title

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
  body { font-family: "DejaVu Sans", Arial, sans-serif; color: #222; max-width: 60rem;
         margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
  h1 { font-size: 1.8rem; margin-bottom: 0; }
  .subtitle { font-size: 1.2rem; color: #444; margin-top: .2rem; }
  .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr));
             gap: .8rem 2rem; }
  .figures h2 { font-size: 1.1rem; margin: .6rem 0 .2rem; }
  .figures p { margin: .1rem 0; }
  table { border-collapse: collapse; margin: 1rem 0; }
  th, td { border-bottom: 1px solid #ccc; padding: .25rem .8rem; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  figure { margin: 1.5rem 0; page-break-inside: avoid; break-inside: avoid; }
  figure svg { width: 100%; height: auto; }
  figcaption { font-weight: bold; }
  footer { color: #666; font-size: .8rem; margin-top: 2rem; }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10.5pt; }
    figure { page-break-before: always; break-before: page; }
  }
</style>
</head>
<body>
<header>
<h1>{{ heading }}</h1>
<p class="subtitle">{{ facility }} · {{ month }}</p>
</header>
<section class="figures">
{% for section in sections %}
  <div>
    <h2>{{ section.heading }}</h2>
    {% for line in section.lines %}<p>{{ line }}</p>{% endfor %}
  </div>
{% endfor %}
</section>
{% if rating_rows %}
<table>
  <caption>{{ rating_caption }}</caption>
  <thead><tr>{% for column in rating_columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in rating_rows %}
    <tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
{% endif %}
{% for chart in charts %}
<figure>
  <figcaption>{{ chart.title }}</figcaption>
  {{ chart.svg }}
</figure>
{% endfor %}
<footer>{{ footer }}</footer>
</body>
</html>
"""

_environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _rating_rows(tr: Translator, report: QualityReport) -> list[list[str]]:
    if report.ratings is None:
        return []
    return [
        [category_name(tr, figures.category), tr.number(figures.count),
         "–" if figures.mean is None else decimal(tr, figures.mean),
         "–" if figures.change is None else signed(tr, figures.change)]
        for figures in report.ratings.categories
    ]


def render_html(tr: Translator, report: QualityReport, drawn: list[tuple[Chart, str]]) -> str:
    """The page for ``report`` with the charts already drawn as SVG markup."""
    return _environment.from_string(TEMPLATE).render(
        locale=tr.locale,
        title=title(tr, report),
        heading=tr._("Quality report"),
        facility=report.facility_name,
        month=month_name(tr, report.month),
        sections=key_figures(tr, report),
        rating_caption=tr._("Ratings per category this month"),
        rating_columns=[tr._("Category"), tr._("Ratings"), tr._("Mean stars"),
                        tr._("Change against the 11 months before")],
        rating_rows=_rating_rows(tr, report),
        # matplotlib's own SVG output, trusted markup
        charts=[{"title": chart.title, "svg": Markup(svg)} for chart, svg in drawn],
        footer=tr._("Made by Heimbote on {date}.")
        .format(date=tr.datetime(report.generated_at, report.timezone)),
    )
