from django.shortcuts import render

from search.presentation import (
    SearchParams,
    active_filters,
    facet_groups,
    hit_views,
    run_search,
)


def search(request):
    """The discovery search page: plain GET, so every result page has a shareable URL."""
    params = SearchParams.from_querydict(request.GET)
    results = run_search(params)
    page = results.request.page
    context = {
        "params": params,
        "query": results.request.text,
        "results": results,
        "hits": hit_views(results),
        "facet_groups": facet_groups(params, results),
        "active_filters": active_filters(params, results),
        "sort": results.request.sort,
        "sort_links": [
            ("relevance", params.url(sort="relevance", page=1)),
            ("date", params.url(sort="date", page=1)),
        ],
        "previous_url": params.url(page=page - 1) if page > 1 else None,
        "next_url": params.url(page=page + 1) if page < results.pages else None,
        "suggestion_url": params.url(text=results.suggestion, page=1)
        if results.suggestion else None,
        "clear_filters_url": params.url(filters={}, page=1),
        "filter_hidden_inputs": [
            (name, value) for name, values in results.request.filters for value in values
        ],
    }
    return render(request, "search/search.html", context)
