"""marshmallow schemas (reviews were the first feature written "the new way")."""

from marshmallow import Schema, fields, pre_load, validate


class ReviewSchema(Schema):
    id = fields.Int(dump_only=True)
    item_id = fields.Int(required=True, strict=True)
    rating = fields.Int(required=True, strict=True, validate=validate.Range(1, 5))
    title = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=120))
    body = fields.Str(required=True, validate=validate.Length(1, 2000))
    author_email = fields.Email(required=True)
    helpful = fields.Int(dump_only=True)
    user_id = fields.Int(dump_only=True, allow_none=True)
    created_at = fields.Str(dump_only=True)

    @pre_load
    def strip_strings(self, data, **kwargs):
        if isinstance(data, dict):
            return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data


review_schema = ReviewSchema()
reviews_schema = ReviewSchema(many=True)
