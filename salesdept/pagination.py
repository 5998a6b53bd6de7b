from crm.api.pagination import SyncPagination


class StandardPagination(SyncPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
