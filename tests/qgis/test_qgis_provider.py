"""Every algorithm of the provider: help for each parameter, standard types, a group, the icon."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication

ALGORITHMS = [
    "kdeheatmap:heatmap",
    "kdeheatmap:radius",
    "kdeheatmap:volumecontours",
    "kdeheatmap:relativerisk",
    "kdeheatmap:smooth",
]


def test_the_provider_lists_its_algorithms(heatmap_plugin):
    provider = QgsApplication.processingRegistry().providerById("kdeheatmap")
    assert sorted(algorithm.id() for algorithm in provider.algorithms()) == sorted(ALGORITHMS)


@pytest.mark.parametrize("algorithm_id", ALGORITHMS)
def test_help_names_every_parameter_and_the_algorithm_is_grouped(heatmap_plugin, algorithm_id):
    algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    help_text = algorithm.shortHelpString()
    for parameter in algorithm.parameterDefinitions():
        assert f"<b>{parameter.description()}</b>" in help_text, parameter.name()
    assert algorithm.group() == "Density surfaces" and algorithm.groupId() == "densitysurfaces"
    assert algorithm.shortDescription() and algorithm.helpUrl().startswith("file:")
    assert algorithm.svgIconPath().endswith("icon.svg")
