# API Gateway stage caching. Stage "prod" has a cache cluster; method settings:
#   "*/*"         caching on, TTL 300  (the default) -> near miss for TFVPC404
#   "items/GET"   caching on, TTL 7200 (> 3600 max)  -> TFVPC404 (error)
#   "health/GET"  caching on, TTL 0 (caching is effectively off) -> TFVPC404 (note)

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_resource" "health" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "health"
}

resource "aws_api_gateway_method" "get" {
  for_each = {
    items  = aws_api_gateway_resource.items.id
    health = aws_api_gateway_resource.health.id
  }
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = each.value
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "get" {
  for_each    = aws_api_gateway_method.get
  rest_api_id = aws_api_gateway_rest_api.shop.id
  resource_id = each.value.resource_id
  http_method = each.value.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = jsonencode({ statusCode = 200 })
  }
}

resource "aws_api_gateway_deployment" "shop" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  triggers = {
    redeployment = sha1(jsonencode([aws_api_gateway_resource.items.id, aws_api_gateway_resource.health.id]))
  }
  lifecycle {
    create_before_destroy = true
  }
  depends_on = [aws_api_gateway_integration.get]
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.shop.id
  deployment_id         = aws_api_gateway_deployment.shop.id
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = "0.5"
}

# Near miss: the default TTL.
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    caching_enabled      = true
    cache_ttl_in_seconds = 300
    metrics_enabled      = true
  }
}

# WRONG: two hours, above API Gateway's 3600 s maximum (TFVPC404, error).
resource "aws_api_gateway_method_settings" "items" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "items/GET"

  settings {
    caching_enabled      = true
    cache_ttl_in_seconds = 7200
  }
}

# Caching "on" with TTL 0 disables it: probably not what was meant (TFVPC404, note).
resource "aws_api_gateway_method_settings" "health" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "health/GET"

  settings {
    caching_enabled      = true
    cache_ttl_in_seconds = 0
  }
}
