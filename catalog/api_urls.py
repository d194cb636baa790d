from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("use-cases", api.UseCaseViewSet, basename="use-case")
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("providers", api.ProviderViewSet, basename="provider")
router.register("solutions", api.SolutionViewSet, basename="solution")
router.register(
    "regional-examples", api.RegionalExampleViewSet, basename="regional-example"
)
router.register("key-figures", api.KeyFigureViewSet, basename="key-figure")
router.register("stone-categories", api.StoneCategoryViewSet, basename="stone-category")
router.register("sectors", api.SectorViewSet, basename="sector")
router.register("departments", api.DepartmentViewSet, basename="department")

urlpatterns = router.urls
