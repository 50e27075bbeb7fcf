"""Till page addresses: the site's sales, one sale and its htmx actions, its receipt page and PDF."""

from django.urls import path

from timetill.sales.views import receipt, sale, till

urlpatterns = [
    path("till/", till.sales, name="sales"),
    path("till/new/", till.new_sale, name="sale-new"),
    path("till/sales/<int:pk>/", sale.sale, name="sale"),
    path("till/sales/<int:pk>/lines/", sale.add_line, name="sale-add"),
    path("till/sales/<int:pk>/lines/<int:line>/remove/", sale.remove_line, name="sale-remove-line"),
    path("till/sales/<int:pk>/lines/<int:line>/discount/", sale.discount, name="sale-discount"),
    path("till/sales/<int:pk>/lines/<int:line>/step/", sale.change_step, name="sale-step"),
    path("till/sales/<int:pk>/customer/", sale.set_customer, name="sale-customer"),
    path("till/sales/<int:pk>/customers/", sale.customer_search, name="sale-customer-search"),
    path("till/sales/<int:pk>/stays/<int:stay>/stop/", sale.stop_stay, name="sale-stop-stay"),
    path("till/sales/<int:pk>/delete/", sale.delete_sale, name="sale-delete"),
    path("till/sales/<int:pk>/park/", sale.park, name="sale-park"),
    path("till/sales/<int:pk>/resume/", sale.resume, name="sale-resume"),
    path("till/sales/<int:pk>/pay/", sale.pay, name="sale-pay"),
    path("till/sales/<int:pk>/pay/preview/", sale.pay_preview, name="sale-pay-preview"),
    path("till/sales/<int:pk>/refund/", sale.refund, name="sale-refund"),
    path("till/sales/<int:pk>/receipt/", receipt.receipt_page, name="sale-receipt"),
    path("till/sales/<int:pk>/receipt.pdf", receipt.receipt_pdf_file, name="sale-receipt-pdf"),
]
