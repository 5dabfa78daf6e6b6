"""The quality report as one self-contained, print-friendly HTML page (jinja2).

Every visible word is translated in Python and handed to the template, so the catalogs see
them; the charts come in as inline SVG (markup matplotlib wrote, not user input). No external
resources: the page prints and archives as one file.
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from bot.i18n import Translator
from bot.services.report.charts import Chart
from bot.services.report.report import QualityReport
from bot.services.report.typeset import document_data

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
  h2 { font-size: 1.2rem; margin: 1.4rem 0 .3rem; }
  .section p { margin: .2rem 0; }
  .explanation, small, .note { color: #555; }
  .explanation { font-style: italic; font-size: .9rem; }
  .note { background: #f0f0f0; padding: .4rem .6rem; font-size: .9rem; }
  .empty { border: 1px solid #999; padding: .5rem .8rem; font-style: italic; }
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
    .section { page-break-inside: avoid; break-inside: avoid; }
  }
</style>
</head>
<body>
<header>
<h1>{{ heading }}</h1>
<p class="subtitle">{{ facility }} · {{ month }}</p>
</header>
<section>
<h2>{{ overview_heading }}</h2>
<table class="overview">
  <thead><tr>{% for column in overview_columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in overview %}
    <tr><td><strong>{{ row.label }}</strong><br><small>{{ row.explanation }}</small></td>
    <td><strong>{{ row.this_month }}</strong></td><td>{{ row.previous }}</td>
    <td>{{ row.change }}</td><td>{{ row.mean }}</td></tr>
  {% endfor %}
  </tbody>
</table>
<p class="note">{{ overview_note }}</p>
</section>
{% for section in sections %}
<section class="section">
  <h2>{{ section.heading }}</h2>
  {% if section.explanation %}<p class="explanation">{{ section.explanation }}</p>{% endif %}
  {% for line in section.lines %}<p>{{ line }}</p>{% endfor %}
  {% if section.table %}
  <table>
    <thead><tr>{% for column in section.table.columns %}<th>{{ column }}</th>{% endfor %}
    </tr></thead>
    <tbody>
    {% for row in section.table.rows %}
      <tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
    {% endfor %}
    </tbody>
  </table>
  {% endif %}
  {% if section.note %}<p class="note">{{ section.note }}</p>{% endif %}
  {% if section.chart %}
  <figure>
    <figcaption>{{ charts[section.chart].title }}</figcaption>
    {{ charts[section.chart].svg }}
  </figure>
  {% endif %}
  {% if section.empty %}<p class="empty">{{ section.empty }}</p>{% endif %}
</section>
{% endfor %}
<footer>{{ footer }}</footer>
</body>
</html>
"""

_environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render_html(tr: Translator, report: QualityReport, drawn: list[tuple[Chart, str]]) -> str:
    """The page for ``report`` with the charts already drawn as SVG markup.

    The same content as the PDF (:func:`bot.services.report.typeset.document_data`).
    """
    data = document_data(tr, report, {chart.name: chart.name for chart, _ in drawn})
    return _environment.from_string(TEMPLATE).render(
        locale=tr.locale,
        title=data["title"],
        heading=data["heading"],
        facility=data["facility"],
        month=data["period"],
        overview_heading=data["overview_heading"],
        overview_columns=data["columns"],
        overview=data["rows"],
        overview_note=data["overview_note"],
        sections=data["sections"],
        # matplotlib's own SVG output, trusted markup
        charts={chart.name: {"title": chart.title, "svg": Markup(svg)} for chart, svg in drawn},
        footer=data["made"],
    )
