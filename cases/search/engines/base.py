"""What both engines share: a match condition that goes through Django's compiler."""

from django.db.models import BooleanField, Expression, F


class Match(Expression):
    """`<the row's table> matches <terms>` as a boolean SQL condition. It goes through the
    compiler (not raw SQL with a fixed table name) so that it keeps working inside the
    subqueries Django re-aliases (facet counts filter on a subquery of matches)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, template: str, param: str):
        super().__init__()
        self.template, self.param, self.id = template, param, F("id")

    def get_source_expressions(self):
        return [self.id]

    def set_source_expressions(self, exprs):
        (self.id,) = exprs

    def as_sql(self, compiler, connection):
        id_sql, id_params = compiler.compile(self.id)
        table = id_sql.rsplit(".", 1)[0]
        return self.template.format(table=table, id=id_sql), [*id_params, self.param]
