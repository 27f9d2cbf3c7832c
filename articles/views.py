from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView

from .models import Article, Author, MastheadTerm, Section, Tag


class HomeView(ListView):
    template_name = "articles/article_list.html"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            **kwargs, day=today, masthead=MastheadTerm.objects.in_force_on(today)
        )


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().for_page()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != self.object.slug:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        day = self.object.publication_date()
        return super().get_context_data(
            **kwargs, day=day, masthead=MastheadTerm.objects.in_force_on(day)
        )


class AuthorDetailView(ListView):
    template_name = "articles/author_detail.html"
    paginate_by = 20

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.author).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, author=self.author)


class SectionDetailView(ListView):
    template_name = "articles/section_detail.html"
    paginate_by = 20

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().filter(section=self.section).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, section=self.section)


class TagDetailView(ListView):
    template_name = "articles/tag_detail.html"
    paginate_by = 20

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().filter(tags=self.tag).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, tag=self.tag)
